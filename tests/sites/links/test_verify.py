"""The public verify page (/links/verify): authentic, changed, unknown, by code, bad uploads; CSRF, throttle,
Spanish, and nothing beyond what the PDF itself holds."""
from __future__ import annotations

import io

import pytest

from portal_app.documents.pdf import render_document
from portal_app.documents.seal import seal_pdf
from portal_app.documents.sealed import record_sealed_file
from tests import factories
from tests.conftest import csrf_token
from tests.documents.factories import SIGNED_AT, sample_document
from tests.test_i18n import spanish  # noqa: F401  (the compiled Spanish catalogue)

URL, CODE_URL = "/links/verify", "/links/verify/code"
CODE = "7KQ2M-XR4TB"
_CACHE: dict[str, bytes] = {}


def sealed_bytes(app) -> bytes:
    """One sealed PDF for the whole module (rendering and sealing take about a second)."""
    if "pdf" not in _CACHE:
        with app.app_context():
            doc = sample_document(answers=[("Do you agree?", "Yes")], verification_code=CODE)
            _CACHE["pdf"] = seal_pdf(render_document(doc), sealed_by="Northside Family Services",
                                     verification_code=CODE)
    return _CACHE["pdf"]


@pytest.fixture
def sealed(app):
    """The sealed PDF and its record (the record is rolled back after each test)."""
    data = sealed_bytes(app)
    row = record_sealed_file(factories.agency("Northside Family Services"), data, verification_code=CODE,
                             content_sha256="c" * 64, title="Intake form", signed_at=SIGNED_AT,
                             summary="Ana Delgado, mother, for Sam Delgado")
    return data, row


def upload(client, data: bytes, name: str = "document.pdf", content_type: str = "application/pdf", **kw):
    token = csrf_token(client, URL)
    return client.post(URL, data={"csrf_token": token, "document": (io.BytesIO(data), name, content_type)},
                       content_type="multipart/form-data", **kw)


def lookup(client, code: str, **kw):
    return client.post(CODE_URL, data={"csrf_token": csrf_token(client, URL), "code": code}, **kw)


def test_the_page_works_without_javascript_and_is_light(client):
    from tests.sites.page_weight import measure

    resp = client.get(URL)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'enctype="multipart/form-data"' in html and f'action="{URL}"' in html and f'action="{CODE_URL}"' in html
    assert "<script" not in html.split("</head>")[1]  # the forms are plain HTML; htmx in the head is optional
    weight = measure(client, URL)  # P1, gzip bytes on the wire
    assert weight.html <= 15 * 1024 and weight.css <= 10 * 1024 and weight.requests <= 6, weight
    assert weight.total <= 40 * 1024, weight
    print(f"\n/links/verify: HTML {weight.html} B, CSS {weight.css} B, total {weight.total} B gzip, "
          f"{weight.requests} requests")


def test_an_authentic_file(client, sealed):
    data, row = sealed
    resp = upload(client, data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Authentic and unchanged" in html
    assert "Intake form" in html and CODE in html
    assert "Ana Delgado, mother, for Sam Delgado" in html
    assert "Nov 20, 2026, 9:05:00 AM PST" in html  # in the agency's time zone


def test_what_the_page_shows_is_only_what_the_pdf_holds(client, sealed):
    """Title, code, signing time and signers: all printed in the PDF; nothing of the record beyond them."""
    data, row = sealed
    html = upload(client, data).get_data(as_text=True)
    assert row.content_sha256 not in html and row.pdf_sha256 not in html and "Northside Family Services" not in html


@pytest.mark.parametrize("where", [0.2, 0.5, 0.99])
def test_a_changed_file(client, sealed, where):
    data, _row = sealed
    changed = bytearray(data)
    position = int(len(data) * where)
    changed[position] ^= 0x01
    resp = upload(client, bytes(changed))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "This file was changed after it was signed" in html
    assert "Ana Delgado" not in html and "Authentic" not in html


def test_a_file_with_an_edit_appended_is_changed(client, sealed):
    data, _row = sealed
    edited = data + b"\n1 0 obj\n<</Title (Edited)>>\nendobj\n%%EOF\n"
    assert "This file was changed after it was signed" in upload(client, edited).get_data(as_text=True)


def test_an_unknown_pdf(client, app, sealed):
    with app.app_context():
        other = render_document(sample_document(answers=[("Q", "A")]))  # a PDF, never sealed or recorded
    html = upload(client, other).get_data(as_text=True)
    assert "Not a Caseport document" in html and "Authentic" not in html


def test_a_sealed_file_whose_record_is_unknown(client, app):
    """Sealed by another deployment, or never recorded here: not ours."""
    html = upload(client, sealed_bytes(app)).get_data(as_text=True)  # no record in this test
    assert "This file was changed after it was signed" in html or "Not a Caseport document" in html
    assert "Authentic" not in html


@pytest.mark.parametrize(("data", "name", "content_type"), [
    (b"GIF89a not a pdf", "photo.pdf", "application/pdf"),  # the content decides, not the name
    (b"<html><script>alert(1)</script></html>", "page.pdf", "text/html"),
    (b"%PDF-1.7 but declared as an image", "x.png", "image/png"),
    (b"", "empty.pdf", "application/pdf"),
])
def test_a_bad_upload_gets_a_field_message(client, data, name, content_type):
    resp = upload(client, data, name, content_type)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'id="document-error"' in html
    assert "This file is not a PDF" in html or "Choose the PDF file to check." in html


def test_no_file_at_all(client):
    resp = client.post(URL, data={"csrf_token": csrf_token(client, URL)})
    assert resp.status_code == 422
    assert "Choose the PDF file to check." in resp.get_data(as_text=True)


def test_a_file_over_the_limit_is_413_with_a_field_message(client):
    # The multipart body is built here: the test client would spool a body this large to a temporary file
    # that it never closes.
    boundary = "caseport-test-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf_token(client, URL)}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="big.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n").encode() + b"%PDF-1.7\n" + b"0" * (8 * 1024 * 1024) + (
            f"\r\n--{boundary}--\r\n").encode()
    resp = client.post(URL, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert resp.status_code == 413
    assert "larger than 8 MB" in resp.get_data(as_text=True)


def test_without_the_csrf_token_nothing_is_checked(client, sealed):
    resp = client.post(URL, data={"document": (io.BytesIO(sealed[0]), "d.pdf", "application/pdf")},
                       content_type="multipart/form-data")
    assert resp.status_code == 400
    assert client.post(CODE_URL, data={"code": CODE}).status_code == 400


@pytest.mark.parametrize("typed", [CODE, CODE.lower().replace("-", " "), CODE.replace("-", "")])
def test_a_known_code(client, sealed, typed):
    resp = lookup(client, typed)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "This code belongs to a Caseport document" in html and "Intake form" in html
    assert "upload the PDF" in html  # a code alone proves nothing about the file in hand


def test_an_unknown_code(client, sealed):
    html = lookup(client, "ZZZZZ-ZZZZZ").get_data(as_text=True)
    assert "No Caseport document has this code" in html and "Intake form" not in html


@pytest.mark.parametrize("typed", ["", "ABC", "ABCDE-FGHJU", "x" * 50, "<script>alert(1)</script>"])
def test_a_malformed_code_gets_a_field_message(client, typed):
    resp = lookup(client, typed)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'id="code-error"' in html and "<script>alert(1)</script>" not in html


def test_checks_are_throttled_per_address(app, client, sealed):
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [lookup(client, "ZZZZZ-ZZZZZ").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
    finally:
        app.config["VERIFY_RATE_LIMIT"] = "20 per minute"


@pytest.mark.usefixtures("spanish")
def test_in_spanish(client, sealed):
    headers = {"Accept-Language": "es"}
    html = client.get(URL, headers=headers).get_data(as_text=True)
    assert '<html lang="es">' in html and "Comprobar un documento de Caseport" in html
    token = csrf_token(client, URL)
    resp = client.post(URL, headers=headers, content_type="multipart/form-data",
                       data={"csrf_token": token, "document": (io.BytesIO(sealed[0]), "d.pdf", "application/pdf")})
    assert "Auténtico y sin cambios" in resp.get_data(as_text=True)
    resp = client.post(CODE_URL, headers=headers, data={"csrf_token": token, "code": "no"})
    assert "Un código de verificación tiene 10 letras y números" in resp.get_data(as_text=True)


@pytest.mark.usefixtures("spanish")
def test_the_language_switch(client):
    token = csrf_token(client, URL)
    resp = client.post("/links/language", data={"csrf_token": token, "lang": "es", "next": URL})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(URL)
    assert "Comprobar un documento de Caseport" in client.get(URL).get_data(as_text=True)


def test_our_bytes_under_a_rotated_certificate_are_not_called_authentic(app, client, sealed, tmp_path):
    """The record matches, but the seal no longer validates against the configured certificate."""
    from portal_app.documents.seal import generate_self_signed

    key_file, cert_file = generate_self_signed(tmp_path / "rotated")
    app.config.update(SEAL_KEY_FILE=str(key_file), SEAL_CERT_FILE=str(cert_file))
    try:
        html = upload(client, sealed[0]).get_data(as_text=True)
    finally:
        app.config.update(SEAL_KEY_FILE=None, SEAL_CERT_FILE=None)
    assert "This file matches our record, but its seal could not be confirmed" in html
    assert "Authentic and unchanged" not in html
