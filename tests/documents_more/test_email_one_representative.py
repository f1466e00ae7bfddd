"""Item 6: a document emailed to ONE representative. Staff choose the person on the Documents tab; the email
carries a signed 7-day link bound to the document and that account (no client details); after sign-in it
opens that document, acting for its client; anyone else is refused neutrally; the others never learn of it."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.documents import workflow
from portal_app.documents.emailed import DocumentEmailLink
from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.portal_access.models import HiddenItem
from tests import factories as f
from tests.conftest import csrf_token
from tests.documents.documents_helpers import form
from tests.sites.portal.helpers import portal_login, portal_post

LINK_RE = re.compile(r"http://[^\s]+/links/documents/(\d+)/(\S+)")


@pytest.fixture
def family(people):
    """Sam Delgado, his mother Ana (also mother of Lucia, another client) and his father Luis; a draft."""
    agency = people["admin"].organization
    sam = f.client(agency, first_name="Sam", last_name="Delgado")
    lucia = f.client(agency, first_name="Lucia", last_name="Delgado")
    ana = f.account("ana", full_name="Ana Delgado", email="ana@example.test")
    f.access(ana, lucia, label="mother", can_sign=True)  # first: Ana acts for Lucia when she signs in
    mother = f.access(ana, sam, label="mother", can_sign=True)
    father = f.access(f.account("luis", full_name="Luis Delgado", email="luis@example.test"), sam, label="father")
    own = f.access(f.account("sam", full_name="Sam Delgado"), sam, "self")
    template = form(people["admin"], "Consent for services")
    document = workflow.start_document(people["admin"], sam, template.id)
    other = workflow.start_document(people["admin"], sam, template.id)
    return {"sam": sam, "lucia": lucia, "mother": mother, "father": father, "own": own, "document": document,
            "other": other, "people": people}


def _email(client, auth, family, access_id=None, document=None, login=True):
    document = document or family["document"]
    if login:
        auth.login(family["people"]["case_manager"])
    url = f"/staff/documents/{document.id}"
    return client.post(f"{url}/email", data={"access_id": access_id if access_id is not None else
                                                family["mother"].id, "csrf_token": csrf_token(client, url)})


def _link(to: str = "ana@example.test") -> str:
    mail = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == to)
                              .order_by(OutboxEmail.id.desc())).first()
    found = LINK_RE.search(mail.body_text)
    return f"/links/documents/{found.group(1)}/{found.group(2)}"


def test_staff_email_one_representative_hides_it_from_the_others(client, auth, family):
    resp = _email(client, auth, family)
    assert resp.status_code == 302
    document = family["document"]
    db.session.refresh(document)
    assert document.status == "waiting_client"
    mails = db.session.scalars(select(OutboxEmail)).all()
    assert [m.to_address for m in mails] == ["ana@example.test"]  # nobody else is told
    body = mails[0].body_text + mails[0].subject
    assert "/links/documents/" in body and "Sam" not in body and "Delgado" not in body and "Consent" not in body
    hidden = set(db.session.scalars(select(HiddenItem.access_id).where(
        HiddenItem.item_type == "document", HiddenItem.item_id == document.id)))
    assert hidden == {family["father"].id}  # the client's own access cannot be hidden from
    link = db.session.scalar(select(DocumentEmailLink))
    assert link.access_id == family["mother"].id and link.account_id == family["mother"].account_id
    assert "document.emailed_to_representative" in set(db.session.scalars(select(AuditEvent.action)))
    page = client.get(f"/staff/documents/{document.id}").get_data(as_text=True)
    assert "Emailed links" in page and "not opened yet" in page


def test_the_father_never_sees_it(client, auth, family):
    _email(client, auth, family)
    portal_login(client, "luis")
    url = f"/portal/documents/{family['document'].id}"
    assert url not in client.get("/portal/").get_data(as_text=True)
    assert url not in client.get("/portal/documents").get_data(as_text=True)
    assert client.get(url).status_code == 404


def test_choosing_nobody_or_someone_else_is_a_field_error(client, auth, family, people):
    stranger = f.access(f.account("stranger"), f.client(people["admin"].organization), label="aunt")
    auth.login(family["people"]["case_manager"])
    for choice in ("", str(stranger.id), "abc"):
        resp = _email(client, auth, family, access_id=choice, login=False)
        assert resp.status_code == 422
        assert 'id="access_id-error"' in resp.get_data(as_text=True)
    assert db.session.scalar(select(DocumentEmailLink)) is None


def test_link_opens_the_document_after_sign_in_acting_for_its_client(client, auth, family):
    _email(client, auth, family)
    url = _link()
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    resp = client.get(url)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/portal/documents/from-link")
    assert "/links/documents/" not in resp.headers["Location"]
    resp = client.get("/portal/documents/from-link")
    assert resp.status_code == 302 and "/portal/login" in resp.headers["Location"]
    resp = portal_login(client, "ana", query={"next": "/portal/documents/from-link"})
    assert resp.headers["Location"].endswith("/portal/documents/from-link")
    resp = client.get("/portal/documents/from-link")
    document = family["document"]
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/portal/documents/{document.id}")
    page = client.get(f"/portal/documents/{document.id}")  # 404 unless acting for Sam (she started on Lucia)
    assert page.status_code == 200 and "Consent for services" in page.get_data(as_text=True)
    assert db.session.scalar(select(DocumentEmailLink)).opened_at is not None
    assert "document.link_opened" in set(db.session.scalars(select(AuditEvent.action)))
    assert client.get("/portal/documents/from-link").status_code == 400  # the hand-off was used up


def test_anyone_else_signing_in_with_the_link_is_refused_neutrally(client, auth, family):
    _email(client, auth, family)
    url = _link()
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    client.get(url)
    portal_login(client, "sam")  # the client himself: still not the person it was sent to
    resp = client.get("/portal/documents/from-link")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 403 and "cannot be opened with the account you signed in with" in html
    assert "Ana" not in html and "Consent for services" not in html
    assert db.session.scalar(select(DocumentEmailLink)).opened_at is None
    assert "document.link_refused" in set(db.session.scalars(select(AuditEvent.action)))


def test_expired_forged_and_other_document_links_get_clear_pages(client, auth, family, frozen_clock):
    _email(client, auth, family)
    url = _link()
    _, doc_id, token = url.rsplit("/", 2)
    forged = client.get(f"/links/documents/{doc_id}/{f.tampered(token)}")
    assert forged.status_code == 400 and "incomplete or was changed" in forged.get_data(as_text=True)
    other = client.get(f"/links/documents/{family['other'].id}/{token}")
    assert other.status_code == 400 and "belongs to another document" in other.get_data(as_text=True)
    frozen_clock.freeze(frozen_clock.utcnow() + timedelta(days=7, minutes=1))
    expired = client.get(url)
    assert expired.status_code == 410 and "works for 7 days" in expired.get_data(as_text=True)
    portal_post(client, "/links/language", {"lang": "es"}, token_from="/links/")
    spanish = client.get(url).get_data(as_text=True)
    assert 'lang="es"' in spanish and "Este enlace venció" in spanish


def test_waiting_document_can_be_pointed_out_to_one_person(client, auth, family):
    workflow.send_to_portal(family["people"]["admin"], family["document"])
    db.session.query(OutboxEmail).delete()
    assert _email(client, auth, family, access_id=family["father"].id).status_code == 302
    assert [m.to_address for m in db.session.scalars(select(OutboxEmail))] == ["luis@example.test"]
    assert db.session.scalar(select(HiddenItem.id)) is None  # already sent to everyone: nothing hidden now


def test_a_link_to_a_voided_document_leads_to_not_found(client, auth, family):
    _email(client, auth, family)
    url = _link()
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    document = family["document"]
    workflow.void(family["people"]["admin"], document, "Sent by mistake")
    client.get(url)
    portal_login(client, "ana", query={"next": "/portal/documents/from-link"})
    resp = client.get("/portal/documents/from-link")
    assert resp.status_code == 302
    assert client.get(f"/portal/documents/{document.id}").status_code == 404  # voided: gone from the portal
