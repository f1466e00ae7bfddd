"""Item 7: after the seal key and certificate are rotated, PDFs sealed with the previous certificate still
verify on /links/verify when that certificate is kept in SEAL_PREVIOUS_CERT_FILES; without it they do not."""
from __future__ import annotations

import io

import pytest

from config import ConfigError
from portal_app.documents.pdf import render_document
from portal_app.documents.seal import (
    generate_self_signed,
    seal_paths,
    seal_pdf,
    verify_seal,
)
from portal_app.documents.sealed import record_sealed_file
from tests import factories
from tests.conftest import csrf_token
from tests.documents.factories import SIGNED_AT, sample_document
from tests.test_i18n import spanish  # noqa: F401  (production refuses to start without it)

CODE = "9RT4M-XQ2PB"


@pytest.fixture
def rotated(app, tmp_path):
    """A PDF sealed with the deployment's first certificate, then the seal rotated to a new pair."""
    _old_key, old_cert = seal_paths(app)
    doc = sample_document(answers=[("Do you agree?", "Yes")], verification_code=CODE)
    old_pdf = seal_pdf(render_document(doc), sealed_by="Northside Family Services", verification_code=CODE)
    new_key, new_cert = generate_self_signed(tmp_path / "rotated", "Caseport seal 2027")
    before = {k: app.config.get(k) for k in ("SEAL_KEY_FILE", "SEAL_CERT_FILE", "SEAL_PREVIOUS_CERT_FILES")}
    app.config.update(SEAL_KEY_FILE=str(new_key), SEAL_CERT_FILE=str(new_cert), SEAL_PREVIOUS_CERT_FILES=[])
    yield old_pdf, old_cert
    app.config.update(before)


def test_previous_certificate_keeps_old_pdfs_verifying(app, rotated):
    old_pdf, old_cert = rotated
    report = verify_seal(old_pdf)
    assert report.intact and not report.trusted and not report.valid  # rotated, old cert forgotten
    app.config["SEAL_PREVIOUS_CERT_FILES"] = str(old_cert)  # as the environment variable gives it
    report = verify_seal(old_pdf)
    assert report.valid and report.previous_certificate
    new_pdf = seal_pdf(render_document(sample_document(answers=[])), sealed_by="N", verification_code=CODE)
    fresh = verify_seal(new_pdf)
    assert fresh.valid and not fresh.previous_certificate
    changed = bytearray(old_pdf)
    changed[len(changed) // 3] ^= 0x01
    assert not verify_seal(bytes(changed)).valid  # trusting the old certificate does not trust changed bytes


def test_the_verify_page_confirms_an_old_pdf_after_rotation(app, client, rotated):
    old_pdf, old_cert = rotated
    record_sealed_file(factories.agency("Northside Family Services"), old_pdf, verification_code=CODE,
                       content_sha256="c" * 64, title="Intake form", signed_at=SIGNED_AT, summary="Sam Delgado, client")
    app.config["SEAL_PREVIOUS_CERT_FILES"] = [str(old_cert)]

    def upload():
        token = csrf_token(client, "/links/verify")
        return client.post("/links/verify", data={"csrf_token": token, "document": (io.BytesIO(old_pdf), "d.pdf",
                                                                                     "application/pdf")},
                           content_type="multipart/form-data").get_data(as_text=True)

    assert "Authentic and unchanged" in upload()
    app.config["SEAL_PREVIOUS_CERT_FILES"] = []
    assert "Authentic and unchanged" not in upload()


def test_production_refuses_an_unreadable_previous_certificate(monkeypatch, tmp_path):
    from tests.test_config import production

    junk = tmp_path / "old.pem"
    junk.write_text("not a certificate")
    with pytest.raises(ConfigError, match="SEAL_PREVIOUS_CERT_FILES"):
        production(monkeypatch, SEAL_PREVIOUS_CERT_FILES=[str(junk)])
    _key, cert = generate_self_signed(tmp_path / "old")
    assert production(monkeypatch, SEAL_PREVIOUS_CERT_FILES=[str(cert)])
