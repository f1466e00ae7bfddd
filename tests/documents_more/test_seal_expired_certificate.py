"""A seal is checked as of the time it states: a PDF sealed while a (since rotated and) expired certificate was
valid still verifies, and says so; a PDF sealed after its certificate expired, before it was valid, or with a
time ahead of ours does not. Certificates made here with short validity windows; the sealing time is fixed
by giving pyHanko's signer a clock of our choosing."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pypdf import PdfWriter

from portal_app.documents.seal import generate_self_signed, seal_pdf, verify_seal
from portal_app.documents.sealed import record_sealed_file
from tests import factories
from tests.conftest import csrf_token

CODE = "7KD2M-PQ4XB"
NOW = datetime.now(UTC).replace(microsecond=0)


def make_pair(directory: Path, not_before: datetime, not_after: datetime) -> tuple[Path, Path]:
    """A self-signed seal key and certificate (shaped as generate_self_signed makes them) valid only then."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Caseport seal {not_before:%Y-%m-%d %H:%M}")])
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=False,
                          encipher_only=False, decipher_only=False)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(usage, critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    directory.mkdir(parents=True)
    key_file, cert_file = directory / "key.pem", directory / "cert.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def seal_config(app):
    keys = ("SEAL_KEY_FILE", "SEAL_CERT_FILE", "SEAL_PREVIOUS_CERT_FILES")
    before = {k: app.config.get(k) for k in keys}
    yield app.config
    app.config.update(before)


@pytest.fixture
def sealer(app, seal_config, monkeypatch, tmp_path):
    """sealer(not_before, not_after, at): a PDF sealed at `at` with a new pair valid from not_before to
    not_after; then the seal is rotated to a fresh pair and the old certificate kept as a previous one."""
    from pyhanko.sign.signers import pdf_signer

    def seal(not_before: datetime, not_after: datetime, at: datetime, *, keep_previous: bool = True):
        old_key, old_cert = make_pair(tmp_path / f"old-{len(list(tmp_path.iterdir()))}", not_before, not_after)
        seal_config.update(SEAL_KEY_FILE=str(old_key), SEAL_CERT_FILE=str(old_cert), SEAL_PREVIOUS_CERT_FILES=[])

        class SigningClock(datetime):
            @classmethod
            def now(cls, tz=None):
                return at.astimezone(tz) if tz else at

        with monkeypatch.context() as patch:
            patch.setattr(pdf_signer, "datetime", SigningClock)  # the time pyHanko states in the seal
            pdf = seal_pdf(blank_pdf(), sealed_by="Northside Family Services", verification_code=CODE)
        new_key, new_cert = generate_self_signed(tmp_path / f"new-{len(list(tmp_path.iterdir()))}")
        seal_config.update(SEAL_KEY_FILE=str(new_key), SEAL_CERT_FILE=str(new_cert),
                           SEAL_PREVIOUS_CERT_FILES=[str(old_cert)] if keep_previous else [])
        return pdf

    return seal


def test_sealed_while_valid_still_verifies_after_the_certificate_expired(sealer):
    sealed_at = NOW - timedelta(hours=36)
    pdf = sealer(NOW - timedelta(days=2), NOW - timedelta(days=1), sealed_at)
    report = verify_seal(pdf)
    assert report.valid and report.previous_certificate and report.certificate_expired
    assert report.checked_at == sealed_at == report.signed_at  # checked as of the time the seal states


def test_sealed_after_the_certificate_expired_does_not_verify(sealer):
    pdf = sealer(NOW - timedelta(days=2), NOW - timedelta(days=1), NOW - timedelta(hours=1))
    report = verify_seal(pdf)
    assert report.intact and report.whole_file  # the bytes are what was sealed...
    assert not report.trusted and not report.valid and not report.certificate_expired  # ...too late
    assert report.checked_at == NOW - timedelta(hours=1)


def test_sealed_before_the_certificate_was_valid_does_not_verify(sealer):
    pdf = sealer(NOW - timedelta(days=2), NOW - timedelta(days=1), NOW - timedelta(days=3))
    assert not verify_seal(pdf).valid


def test_a_sealing_time_ahead_of_our_clock_is_not_believed(sealer):
    pdf = sealer(NOW - timedelta(days=1), NOW + timedelta(days=3), NOW + timedelta(days=1))
    report = verify_seal(pdf)
    assert report.intact and not report.valid
    pdf = sealer(NOW - timedelta(days=1), NOW + timedelta(days=3), NOW + timedelta(minutes=2))  # clocks differ
    assert verify_seal(pdf).valid


def test_an_expired_certificate_still_needs_to_be_listed(sealer):
    pdf = sealer(NOW - timedelta(days=2), NOW - timedelta(days=1), NOW - timedelta(hours=36), keep_previous=False)
    report = verify_seal(pdf)
    assert report.intact and not report.trusted and not report.valid


def test_the_current_seal_is_checked_as_of_its_own_time(app, seal_config):
    pdf = seal_pdf(blank_pdf(), sealed_by="Northside Family Services", verification_code=CODE)
    report = verify_seal(pdf)
    assert report.valid and not report.previous_certificate and not report.certificate_expired
    assert report.checked_at is not None and abs(report.checked_at - datetime.now(UTC)) < timedelta(minutes=5)


def _upload(client, pdf: bytes) -> str:
    token = csrf_token(client, "/links/verify")
    return client.post("/links/verify", data={"csrf_token": token, "document": (io.BytesIO(pdf), "d.pdf",
                                                                                 "application/pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)


def _record(pdf: bytes) -> None:
    record_sealed_file(factories.agency("Northside Family Services"), pdf, verification_code=CODE,
                       content_sha256="d" * 64, title="Intake form", signed_at=None, summary="Sam Delgado, client")


def test_the_verify_page_says_the_expired_certificate_was_valid_when_it_sealed(client, sealer):
    pdf = sealer(NOW - timedelta(days=2), NOW - timedelta(days=1), NOW - timedelta(hours=36))
    _record(pdf)
    page = _upload(client, pdf)
    assert "Authentic and unchanged" in page
    assert "the seal's certificate was valid then and has expired since" in page


def test_the_verify_page_refuses_a_seal_made_after_expiry(client, sealer):
    pdf = sealer(NOW - timedelta(days=2), NOW - timedelta(days=1), NOW - timedelta(hours=1))
    _record(pdf)
    page = _upload(client, pdf)
    assert "Authentic and unchanged" not in page and "its seal could not be confirmed" in page
    assert "has expired since" not in page
