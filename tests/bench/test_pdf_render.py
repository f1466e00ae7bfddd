"""PDF timings (`make bench`): render a 3-page signed document to PDF/A, seal it, check the seal."""
import statistics
import time

from portal_app.documents.pdf import render_document
from portal_app.documents.seal import seal_pdf, verify_seal
from tests.documents.factories import sample_document

RUNS = 5


def _timed(fn, runs=RUNS):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times), result


def test_report_pdf_timings(app, capsys):
    doc = sample_document()
    render_document(doc)  # warm up: fonts and the template are loaded once per process
    render = _timed(lambda: render_document(doc))
    pdf = render[2]
    seal = _timed(lambda: seal_pdf(pdf, sealed_by="Bench", verification_code="ABCDE-FGHJK"))
    check = _timed(lambda: verify_seal(seal[2]))
    assert check[2].valid
    with capsys.disabled():
        print(f"\n3-page document, {len(pdf)} bytes PDF/A, {len(seal[2])} bytes sealed; median / max of {RUNS}:")
        for name, (median, worst, _) in (("render", render), ("seal", seal), ("verify", check)):
            print(f"  {name:<7} {median * 1000:7.0f} ms  {worst * 1000:7.0f} ms")
