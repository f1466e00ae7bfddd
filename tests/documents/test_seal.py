"""The seal (S16, ES-INTEGRITY): pyHanko validates it against the deployment's certificate, any changed byte
breaks it, the record's SHA-256 matches the stored PDF, and production will not start without a key."""
from __future__ import annotations

import hashlib
import io

import pytest
from click.testing import CliRunner
from flask import current_app
from pypdf import PdfReader
from sqlalchemy import select

from config import ConfigError
from portal_app import create_app
from portal_app.documents import seal as seal_module
from portal_app.documents.pdf import render_document
from portal_app.documents.seal import (
    SealCredentialsError,
    generate_self_signed,
    load_credentials,
    seal_paths,
    verify_seal,
)
from portal_app.documents.sealed import (
    SealedFile,
    find_by_code,
    find_by_pdf_sha256,
    normalize_code,
    produce_sealed_pdf,
    read_sealed_pdf,
)
from portal_app.extensions import db
from tests import factories
from tests.test_i18n import spanish  # noqa: F401  (production refuses to start without it)
from tests.documents.factories import SIGNED_AT, sample_document


@pytest.fixture(scope="module")
def produced(app):
    """One sealed PDF, produced through the whole pipeline (render, seal, store, record) and kept as bytes."""
    with app.app_context():
        agency = factories.agency("Northside Family Services")
        row = produce_sealed_pdf(agency, sample_document())
        data = read_sealed_pdf(row)
        facts = {"code": row.verification_code, "pdf_sha256": row.pdf_sha256, "storage_key": row.storage_key,
                 "content_sha256": row.content_sha256, "summary": row.signer_summary, "signed_at": row.signed_at}
        db.session.rollback()
        return data, facts


def test_the_record_matches_the_stored_pdf(produced):
    data, facts = produced
    assert hashlib.sha256(data).hexdigest() == facts["pdf_sha256"] == facts["storage_key"]
    assert facts["content_sha256"] == sample_document().content_sha256
    assert facts["summary"] == "Ana Delgado, mother, for Sam Delgado"
    assert facts["signed_at"] == SIGNED_AT
    assert normalize_code(facts["code"]) == facts["code"] and len(facts["code"]) == 11


def test_the_produced_pdf_reads_back_with_its_code_on_every_page(produced):
    data, facts = produced
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert all(f"Verification code {facts['code']}" in page for page in pages)
    assert "Signature certificate" in pages[-1] and facts["content_sha256"] in pages[-1]
    assert "ABCDE-FGHJK" not in data.decode("latin-1")  # the sample's placeholder was replaced


def test_pyhanko_validates_the_seal(produced):
    data, facts = produced
    report = verify_seal(data)
    assert report.valid and report.intact and report.trusted and report.whole_file
    assert report.sealed_by == "Northside Family Services"
    assert report.verification_code == facts["code"]
    assert report.title == "Intake form"
    assert report.signed_at is not None


def _signed_ranges(data: bytes) -> list[tuple[int, int]]:
    """The byte ranges the seal's digest covers (everything but the signature container itself)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    start1, length1, start2, length2 = PdfFileReader(io.BytesIO(data)).embedded_signatures[0].sig_object["/ByteRange"]
    return [(start1, start1 + length1), (start2, start2 + length2)]


@pytest.mark.parametrize("where", [0.05, 0.3, 0.6, 0.95, "after"])
def test_changing_one_byte_breaks_the_seal(produced, where):
    data, _facts = produced
    (first_start, first_end), (second_start, second_end) = _signed_ranges(data)
    assert first_start == 0 and second_end == len(data)  # the digest covers the whole file but the container
    position = (second_start + 2 if where == "after" else int(first_end * where))
    changed = bytearray(data)
    changed[position] = changed[position] ^ 0x01
    report = verify_seal(bytes(changed))
    assert not report.valid and not report.intact


def test_a_byte_changed_inside_the_signature_container_is_caught_by_the_hash(app, produced):
    """The container's padding is outside the digest (as in every PDF signature): the record's SHA-256 is what
    tells that file apart from the sealed one."""
    from portal_app.documents.sealed import CHANGED, check_pdf, record_sealed_file

    data, facts = produced
    record_sealed_file(factories.agency(), data, verification_code=facts["code"], content_sha256="0" * 64,
                       title="Intake form", signed_at=SIGNED_AT, summary="")
    (_s, first_end), (second_start, _e) = _signed_ranges(data)
    changed = bytearray(data)
    changed[second_start - 3] = ord("1") if changed[second_start - 3] == ord("0") else ord("0")  # padding
    assert check_pdf(data).outcome == "authentic"
    assert check_pdf(bytes(changed)).outcome == CHANGED


def test_an_update_appended_after_sealing_is_not_covered(produced):
    """A file with a revision added after the seal (an edit saved by a PDF editor) is not the sealed file."""
    from pyhanko.pdf_utils.generic import pdf_name, pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    data, _facts = produced
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    info = writer.trailer["/Info"]
    info[pdf_name("/Title")] = pdf_string("Changed title")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    report = verify_seal(out.getvalue())
    assert report.sealed and not report.valid


def test_a_seal_made_with_another_key_is_not_trusted(app, produced, tmp_path):
    key_file, cert_file = generate_self_signed(tmp_path / "other", "Somebody else")
    app.config.update(SEAL_KEY_FILE=str(key_file), SEAL_CERT_FILE=str(cert_file))
    try:
        foreign = seal_module.seal_pdf(render_document(sample_document(answers=[])), sealed_by="Elsewhere",
                                       verification_code="ABCDE-FGHJK")
    finally:
        app.config.update(SEAL_KEY_FILE=None, SEAL_CERT_FILE=None)
    report = verify_seal(foreign)
    assert report.sealed and report.intact and not report.trusted and not report.valid


@pytest.mark.parametrize("data", [b"", b"not a pdf", b"%PDF-1.7\n%garbage", b"%PDF-1.7\n" + b"\x00" * 4096])
def test_garbage_is_reported_not_raised(data):
    report = verify_seal(data)
    assert not report.valid and not report.sealed


def test_codes_are_read_leniently():
    assert normalize_code("abcde fghjk") == "ABCDE-FGHJK"
    assert normalize_code("ABCDE-FGHJK") == "ABCDE-FGHJK"
    assert normalize_code("O1234-5678I") == "01234-56781"  # O reads as 0, I as 1
    for bad in ("", "ABCDE", "ABCDE-FGHJKX", "ABCDE-FGHJU", "<script>"):
        assert normalize_code(bad) is None


def test_produce_records_and_finds_by_hash_and_code(app):
    agency = factories.agency()
    row = produce_sealed_pdf(agency, sample_document(answers=[("Q", "A")]))
    assert db.session.scalar(select(SealedFile).where(SealedFile.id == row.id)) is row
    assert find_by_pdf_sha256(row.pdf_sha256) is row
    assert find_by_code(row.verification_code) is row
    assert verify_seal(read_sealed_pdf(row)).valid


# --- key and certificate ------------------------------------------------------------------------------

def test_development_generates_a_pair_on_first_use(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEPORT_INSTANCE", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    key_file, cert_file = seal_paths(app)
    assert key_file == tmp_path / "seal" / "seal-key.pem" and cert_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    load_credentials(key_file, cert_file)  # they belong together
    assert seal_paths(app) == (key_file, cert_file)  # kept, not made again
    assert cert_file.read_bytes() == (tmp_path / "seal" / "seal-cert.pem").read_bytes()


@pytest.mark.usefixtures("spanish")
def test_production_refuses_to_start_without_the_seal(monkeypatch, tmp_path):
    from tests.test_config import production

    monkeypatch.delenv("SEAL_KEY_FILE", raising=False)
    monkeypatch.delenv("SEAL_CERT_FILE", raising=False)
    with pytest.raises(ConfigError, match="SEAL_KEY_FILE must be set in production"):
        production(monkeypatch, SEAL_KEY_FILE=None, SEAL_CERT_FILE=None)
    mine = generate_self_signed(tmp_path / "mine")
    other = generate_self_signed(tmp_path / "other")
    with pytest.raises(ConfigError, match="is not the key of the certificate"):
        production(monkeypatch, SEAL_KEY_FILE=str(mine[0]), SEAL_CERT_FILE=str(other[1]))
    with pytest.raises(ConfigError, match="does not exist"):
        production(monkeypatch, SEAL_KEY_FILE=str(tmp_path / "nope.pem"), SEAL_CERT_FILE=str(mine[1]))
    app = production(monkeypatch, SEAL_KEY_FILE=str(mine[0]), SEAL_CERT_FILE=str(mine[1]))
    assert seal_paths(app) == mine


def test_without_generation_an_unconfigured_seal_is_refused(app):
    app.config["SEAL_GENERATE"] = False
    try:
        with pytest.raises(SealCredentialsError):
            seal_paths(current_app)
    finally:
        app.config["SEAL_GENERATE"] = True


def test_the_seal_cert_command(app, tmp_path):
    runner = CliRunner()
    out = tmp_path / "made"
    result = runner.invoke(seal_module.seal_cert_command, ["--out", str(out)], obj=None,
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "SHA-256 fingerprint" in result.output and (out / "seal-key.pem").exists()
    again = runner.invoke(seal_module.seal_cert_command, ["--out", str(out)])
    assert again.exit_code != 0 and "exists" in again.output


def test_sealing_and_checking_work_inside_a_running_event_loop(app):
    """pyHanko's synchronous calls run asyncio.run(): from a thread with a loop (an async server, Playwright
    in the browser tests) they are moved to a thread of their own instead of failing."""
    import asyncio
    import contextvars
    from concurrent.futures import ThreadPoolExecutor

    pdf = render_document(sample_document(answers=[]))

    async def inside_a_loop():
        sealed = seal_module.seal_pdf(pdf, sealed_by="Loop", verification_code="ABCDE-FGHJK")
        return verify_seal(sealed)

    # A fresh thread (this one may already run a loop: Playwright's), with the app context carried over.
    with ThreadPoolExecutor(max_workers=1) as pool:
        report = pool.submit(contextvars.copy_context().run, lambda: asyncio.run(inside_a_loop())).result()
    assert report.valid
