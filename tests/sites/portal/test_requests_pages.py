"""Portal › Requests over HTTP, without JavaScript: the list (due dates, overdue, Spanish), fill the
assessment, send pages (several at once, or one by one), bad files (HTML named .jpg, HEIC, a 20,000 x 20,000
image), share a location, "I can't provide this", and a request hidden from one representative (404)."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal_app.extensions import db
from portal_app.messaging.models import Message
from portal_app.portal_access.hiding import hide_item
from portal_app.requests import services
from portal_app.requests.models import ITEM_TYPE
from tests import factories
from tests.conftest import csrf_token
from tests.requests.helpers import (
    answers_for,
    category,
    gad7,
    grant_portal,
    huge_png,
    png_bytes,
    portal_client,
)
from tests.sites.portal.helpers import portal_login


def html(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.fixture
def family(people):
    agency = people["admin"].organization
    grant_portal(people)
    person, account, access = portal_client(agency)
    ident = category(agency, "Identification")
    template = gad7(people["admin"])
    cm = people["case_manager"]
    bundle = services.send_bundle(cm, person, "Intake packet", [
        {"kind": "assessment", "template_id": template.id},
        {"kind": "document", "category_id": ident.id, "name_id": str(ident.names[0].id)},
        {"kind": "location", "due_date": services.today() + timedelta(days=2)}])
    db.session.commit()
    return {"client": person, "account": account, "access": access, "bundle": bundle, "cm": cm}


def _post(client, url: str, data: dict, **kw):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)}, **kw)


def _upload(client, url: str, files: list[tuple[bytes, str]], action: str = "send"):
    data = {"csrf_token": csrf_token(client, url), "action": action,
            "files": [(io.BytesIO(b), name) for b, name in files]}
    return client.post(url, data=data, content_type="multipart/form-data")


def test_home_navigation_and_list(client, family):
    portal_login(client, "maria")
    home = html(client.get("/portal/"))
    assert 'href="/portal/requests"' in home and "The agency asks you for 3 things." in home
    page = html(client.get("/portal/requests"))
    assert "Intake packet" in page and "0 of 3 sent" in page and "GAD-7" in page
    assert "Driver&#39;s licence (Identification)" in page and "Due " in page
    assert "I can't provide this" in page


def test_the_list_in_spanish(client, family):
    portal_login(client, "maria")
    client.post("/portal/language", data={"lang": "es", "csrf_token": csrf_token(client, "/portal/requests")})
    page = html(client.get("/portal/requests"))
    assert "Solicitudes" in page and "Licencia de conducir (Identificación)" in page and "Vence" in page


def test_fill_the_assessment(client, family):
    portal_login(client, "maria")
    assessment = family["bundle"].requests[0]
    url = f"/portal/requests/{assessment.id}/assessment"
    resp = _post(client, url, {"action": "submit"})
    assert resp.status_code == 422
    answers = answers_for(assessment.document.template_version)
    resp = _post(client, url, {**answers, "action": "submit"})
    assert resp.status_code == 302
    db.session.refresh(assessment)
    assert assessment.status == "fulfilled" and assessment.document.status == "completed"
    assert "1 of 3 sent" in html(client.get("/portal/requests"))


def test_send_pages_one_by_one_then_all(client, family):
    portal_login(client, "maria")
    document = family["bundle"].requests[1]
    url = f"/portal/requests/{document.id}/document"
    page = html(client.get(url))
    assert 'accept="image/*,application/pdf"' in page and "capture" in page
    assert _upload(client, url, [(png_bytes(), "page1.png")], "add").status_code == 302
    assert "1 page(s) ready" in html(client.get(url))
    assert _upload(client, url, [(png_bytes(color=(0, 0, 255)), "p2.png"), (png_bytes(), "p3.png")]).status_code == 302
    db.session.refresh(document)
    assert document.status == "fulfilled" and document.received_pages == 3
    note = db.session.scalar(select(Message).where(Message.conversation_id == document.conversation_id))
    assert note.sender_account_id == family["account"].id


@pytest.mark.parametrize("payload, name, status, sentence", [
    (b"<html><body><script>alert(1)</script></body></html>", "passport.jpg", 422, "not a photo or PDF"),
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "IMG_0001.HEIC", 422, "HEIC"),
    (None, "huge.png", 413, "40 megapixels"),
])
def test_bad_files_get_a_clear_4xx(client, family, payload, name, status, sentence):
    portal_login(client, "maria")
    document = family["bundle"].requests[1]
    resp = _upload(client, f"/portal/requests/{document.id}/document", [(payload or huge_png(), name)])
    assert resp.status_code == status and sentence in html(resp)
    db.session.refresh(document)
    assert document.status == "open" and not document.pending_pages


def test_share_a_location(client, family):
    portal_login(client, "maria")
    location = family["bundle"].requests[2]
    url = f"/portal/requests/{location.id}/location"
    page = html(client.get(url))
    assert "js/location" in page and "Only the agency" in page
    resp = _post(client, url, {"address": "", "latitude": "", "longitude": ""})
    assert resp.status_code == 422 and "Type an address" in html(resp)
    resp = _post(client, url, {"address": "", "latitude": "91", "longitude": "0"})
    assert resp.status_code == 422
    assert _post(client, url, {"address": "12 Oak Street"}).status_code == 302
    db.session.refresh(location)
    assert location.location_text == "12 Oak Street" and location.status == "fulfilled"


def test_cant_provide(client, family):
    portal_login(client, "maria")
    document = family["bundle"].requests[1]
    url = f"/portal/requests/{document.id}/cant"
    resp = _post(client, url, {"reason": "other", "text": ""})
    assert resp.status_code == 422
    assert _post(client, url, {"reason": "need_help", "text": "I need a ride to the DMV."}).status_code == 302
    db.session.refresh(document)
    assert document.status == "cant_provide"


def test_hidden_from_one_representative(client, family):
    mother = factories.account("mother", email="mother@example.test")
    mother_access = factories.access(mother, family["client"], label="mother")
    location = family["bundle"].requests[2]
    hide_item(family["cm"], mother_access, ITEM_TYPE, location.id)
    db.session.commit()
    portal_login(client, "mother")
    page = html(client.get("/portal/requests"))
    assert "Your location" not in page and "GAD-7" in page
    assert client.get(f"/portal/requests/{location.id}/location").status_code == 404


def test_another_clients_request_is_404(client, family, people):
    other, _account, _access = portal_client(people["admin"].organization, username="someone")
    request = services.send_request(people["case_manager"], other, {"kind": "location"})
    db.session.commit()
    portal_login(client, "maria")
    assert client.get(f"/portal/requests/{request.id}/location").status_code == 404
