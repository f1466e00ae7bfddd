"""PDF/A rendering (S12, S16): the produced PDF holds the answers, the signatures and the certificate page,
and user content that names other URLs fetches nothing."""
from __future__ import annotations

import http.server
import io
import threading
import time

import pytest
from flask import current_app
from pypdf import PdfReader

from portal_app.documents.pdf import (
    PdfItem,
    RefusedURL,
    StaticAssetFetcher,
    content_sha256,
    html_to_pdf,
    render_document,
)
from tests.documents.factories import ANSWERS, sample_document
from tests.test_i18n import spanish  # noqa: F401  (the compiled Spanish catalogue)


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def rendered(app):
    with app.app_context():
        started = time.perf_counter()
        pdf = render_document(sample_document())
        return pdf, time.perf_counter() - started


def test_answers_signatures_and_certificate_page_are_in_the_pdf(rendered):
    pdf, seconds = rendered
    pages = _text(pdf)
    assert len(pages) == 3, f"{len(pages)} pages"  # the size the render time below is quoted for
    body = " ".join(" ".join(pages[:-1]).split())
    assert "Northside Family Services" in body and "Sam Delgado" in body and "Version 3" in body
    for question, answer in ANSWERS:
        assert question in body and answer in body
    assert "Signed by Ana Delgado, mother, for Sam Delgado" in body
    assert "Nov 20, 2026, 9:05:00 AM PST" in body  # the agency's time zone (America/Los_Angeles)
    certificate = " ".join(pages[-1].split())
    assert certificate.startswith("Signature certificate")
    assert sample_document().content_sha256 in certificate
    for event in ("created", "sent to the client portal", "viewed", "signed", "203.0.113.9", "10.0.0.7"):
        assert event in certificate
    print(f"\nrendered a {len(pages)}-page document in {seconds:.2f} s ({len(pdf)} bytes)")


def test_every_page_carries_the_verification_code(rendered):
    pages = _text(rendered[0])
    for number, page in enumerate(pages, start=1):
        assert "Verification code ABCDE-FGHJK" in page
        assert f"Page {number} / {len(pages)}" in page


def test_the_pdf_is_pdf_a_with_embedded_fonts(rendered):
    pdf = rendered[0]
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in xmp and b"pdfaid:conformance" in xmp
    assert reader.metadata.title == "Intake form"
    fonts = [f.get_object() for page in reader.pages for f in page["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                         or "/FontFile3" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                         for f in fonts if "/DescendantFonts" in f)


@pytest.mark.usefixtures("spanish")
def test_a_spanish_document_is_labelled_in_spanish(app):
    pages = _text(render_document(sample_document(answers=ANSWERS[:2], language="es")))
    assert "Certificado de firma" in pages[-1]
    assert "Firmado por Ana Delgado, mother, para Sam Delgado" in " ".join(pages[0].split())


def test_content_hash_is_canonical():
    assert content_sha256({"b": 1, "a": "é"}) == content_sha256({"a": "é", "b": 1})
    assert content_sha256({"a": 1}) != content_sha256({"a": 2})


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    """A real HTTP server on localhost that counts every request it gets."""
    _Counting.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Counting.hits
    server.shutdown()
    server.server_close()


def _hostile(base: str, secret_path) -> list[str]:
    """Every way a piece of user content could name an outside resource."""
    return [
        f'<img src="{base}/img.png">', f'<img src="file://{secret_path}">', f'<img src="{secret_path}">',
        f'<link rel="stylesheet" href="{base}/style.css">', f'<style>@import url("{base}/import.css");</style>',
        f'<style>@import "file://{secret_path}";</style>',
        f'<div style="background: url({base}/bg.png)">x</div>', f'<p style="background:url(file://{secret_path})">y</p>',
        f'<style>@font-face {{ font-family: X; src: url({base}/font.woff2); }} p {{ font-family: X; }}</style>',
        f'<object data="{base}/object.pdf"></object>', f'<embed src="file://{secret_path}">',
        f'<a rel="attachment" href="{base}/attachment.bin">a</a>', f'<a rel="attachment" href="file://{secret_path}">b</a>',
        f'<svg><image href="{base}/svg.png" width="10" height="10"/></svg>',
        '<img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=">',
        f'<iframe src="{base}/frame.html"></iframe>', '<img src="caseport-static:../../config.py">',
        f'<link rel="stylesheet" href="caseport-static:../{secret_path.name}">',
    ]


def test_raw_markup_naming_outside_urls_fetches_nothing(app, web_server, tmp_path):
    """Even markup that reached the renderer unescaped loads only our own assets (S12)."""
    base, hits = web_server
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT-42")
    body = "\n".join(_hostile(base, secret))
    fetcher = StaticAssetFetcher(current_app.static_folder)
    html = f'<html><head><link rel="stylesheet" href="caseport-static:pdf/document.css"></head><body>{body}</body></html>'
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert hits == []  # the server never saw a request
    assert fetcher.served == ["caseport-static:pdf/document.css"]
    assert any(url.startswith("file://") for url in fetcher.refused) and any(base in url for url in fetcher.refused)
    assert b"SECRET-CONTENT-42" not in pdf and "SECRET-CONTENT-42" not in " ".join(_text(pdf))


def test_answers_that_name_urls_are_printed_as_text(app, web_server, tmp_path):
    """User content reaches the document template as text: the markup is shown, never loaded."""
    base, hits = web_server
    answers = [(f"Item {n}", snippet) for n, snippet in enumerate(_hostile(base, tmp_path / "secret.txt"))]
    doc = sample_document(answers=answers, title='<img src="http://127.0.0.1/t.png">',
                          items=[PdfItem(q, a) for q, a in answers])
    text = " ".join(" ".join(_text(render_document(doc))).split())
    assert hits == []
    assert f'<img src="{base}/img.png">' in text


def test_the_fetcher_refuses_everything_but_our_static_assets(app, tmp_path):
    fetcher = StaticAssetFetcher(current_app.static_folder, inline={"sig": (b"\x89PNG...", "image/png")})
    assert fetcher.fetch("caseport-static:pdf/document.css").read().startswith(b"/*")
    assert fetcher.fetch("caseport-inline:sig").read() == b"\x89PNG..."
    for url in ("file:///etc/passwd", "http://example.org/x.png", "https://example.org/x.css", "ftp://x/y",
                "data:text/plain,hi", "caseport-static:../config.py", "caseport-static:/etc/passwd",
                "caseport-static:js/missing.css", "caseport-static:vendor/htmx/htmx.min.js", "caseport-inline:other"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_importing_the_renderer_leaves_pillow_strict():
    """WeasyPrint turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES; truncated photo uploads must still fail."""
    from PIL import ImageFile

    import portal_app.documents.pdf  # noqa: F401

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
