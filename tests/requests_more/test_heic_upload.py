"""HEIC photos from iPhones on the portal's document requests (issue 13, S11): a real HEIC (made here with
pillow-heif, EXIF with a camera model and a GPS position) sent as a client sends it becomes a one-page PDF
with no EXIF left; a HEIC whose header claims too many pixels is refused (413) before any decode; a file
with a HEIC brand and a broken body gets a clear 422."""
from __future__ import annotations

import io
import struct

import pillow_heif
import pytest
from PIL import Image
from pypdf import PdfReader

from portal_app.extensions import db
from portal_app.files import read_bytes
from portal_app.requests import errors, services, uploads
from tests.conftest import csrf_token
from tests.requests.helpers import category, grant_portal, png_bytes, portal_client
from tests.sites.portal.helpers import portal_login

GREEN = (10, 120, 40)


def heic_with_gps(size=(320, 240), color=GREEN) -> bytes:
    """A real HEIC (HEVC inside HEIF, as an iPhone writes) whose EXIF holds a camera model and a GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "SecretPhone 15"  # Model
    exif[0x8825] = {1: "N", 2: (45.0, 30.0, 0.0), 3: "W", 4: (122.0, 40.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", size, color)).save(out, format="HEIF", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def claiming(data: bytes, width: int, height: int) -> bytes:
    """The same HEIC with its header (the `ispe` box) claiming width x height pixels."""
    at = data.index(b"ispe")
    return data[:at + 8] + struct.pack(">II", width, height) + data[at + 16:]


@pytest.fixture(scope="module")
def heic() -> bytes:
    data = heic_with_gps()
    assert data[4:12] == b"ftypheic"
    with Image.open(io.BytesIO(data)) as probe:  # the file really carries what must be stripped
        assert probe.format == "HEIF" and b"SecretPhone" in probe.info["exif"]
    return data


@pytest.fixture
def document_request(people):
    agency = people["admin"].organization
    grant_portal(people)
    person, _account, _access = portal_client(agency)
    ident = category(agency, "Identification")
    request = services.send_request(people["case_manager"], person, {
        "kind": "document", "category_id": ident.id, "name_id": str(ident.names[0].id)})
    db.session.commit()
    return request


def _upload(client, url: str, files: list[tuple[bytes, str]], action: str = "send"):
    data = {"csrf_token": csrf_token(client, url), "action": action,
            "files": [(io.BytesIO(b), name) for b, name in files]}
    return client.post(url, data=data, content_type="multipart/form-data")


def _no_exif_left(pdf: bytes) -> None:
    assert b"SecretPhone" not in pdf and b"Apple" not in pdf and b"Exif" not in pdf
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for picture in page.images:
            assert b"Exif" not in picture.data and b"SecretPhone" not in picture.data
            assert not picture.image.getexif() and "exif" not in picture.image.info


def test_an_iphone_photo_becomes_a_pdf_page_without_its_exif(client, document_request, heic):
    portal_login(client, "maria")
    url = f"/portal/requests/{document_request.id}/document"
    assert "HEIC" in client.get(url).get_data(as_text=True)
    resp = _upload(client, url, [(heic, "IMG_0001.HEIC"), (png_bytes(), "page2.png")])
    assert resp.status_code == 302
    db.session.refresh(document_request)
    assert document_request.status == "fulfilled" and document_request.received_pages == 2
    pdf = read_bytes(document_request.received_file)
    assert pdf.startswith(b"%PDF-") and document_request.received_file.content_type == "application/pdf"
    first = PdfReader(io.BytesIO(pdf)).pages[0]
    [picture] = first.images
    assert picture.image.size == (320, 240)  # the photo itself, not a thumbnail or a blank page
    r, g, b = picture.image.convert("RGB").getpixel((160, 120))
    assert abs(r - GREEN[0]) < 16 and abs(g - GREEN[1]) < 16 and abs(b - GREEN[2]) < 16
    _no_exif_left(pdf)


def test_check_page_keeps_no_metadata_of_the_heic(heic):
    pdf = uploads.check_page(heic)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    _no_exif_left(pdf)


def test_a_huge_heic_is_refused_from_its_header_over_http(client, document_request, heic):
    portal_login(client, "maria")
    resp = _upload(client, f"/portal/requests/{document_request.id}/document",
                   [(claiming(heic, 20_000, 20_000), "IMG_0002.HEIC")])
    assert resp.status_code == 413 and "40 megapixels" in resp.get_data(as_text=True)
    db.session.refresh(document_request)
    assert document_request.status == "open" and not document_request.pending_pages


@pytest.mark.parametrize("width, height", [(8_000, 8_000), (20_000, 20_000)])
def test_a_huge_heic_is_refused_before_any_decode(monkeypatch, heic, width, height):
    """64 megapixels is over our 40 but under Pillow's own bomb limit: our header check refuses it."""
    def no_decode(self):
        raise AssertionError("the HEIC was decoded before its size was checked")

    monkeypatch.setattr(pillow_heif.as_plugin._LibHeifImageFile, "load", no_decode)
    with pytest.raises(errors.UploadTooLarge) as refused:
        uploads.check_page(claiming(heic, width, height))
    assert refused.value.status == 413


@pytest.mark.parametrize("body", [
    b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(range(256)) * 8,  # a brand, then noise
    "truncated",
    "wrong size",  # the header says 400 x 300, the picture inside is 320 x 240: caught when decoding
])
def test_a_broken_heic_gets_a_clear_422(client, document_request, heic, body):
    if body == "truncated":
        body = heic[: len(heic) // 2]
    elif body == "wrong size":
        body = claiming(heic, 400, 300)
    portal_login(client, "maria")
    resp = _upload(client, f"/portal/requests/{document_request.id}/document", [(body, "IMG_0003.HEIC")])
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "This HEIC photo could not be read" in page
    db.session.refresh(document_request)
    assert document_request.status == "open" and not document_request.pending_pages


def test_the_refusal_is_in_spanish_for_a_spanish_client(client, document_request):
    portal_login(client, "maria")
    url = f"/portal/requests/{document_request.id}/document"
    client.post("/portal/language", data={"lang": "es", "csrf_token": csrf_token(client, url)})
    resp = _upload(client, url, [(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "IMG.HEIC")])
    assert resp.status_code == 422 and "No pudimos leer esta foto HEIC" in resp.get_data(as_text=True)
