"""PORTAL Inbox items reach the staff member they are addressed to, Messaging permission or not: a request
fulfilled (or "I can't provide this"), an ROI revoked on the portal (the care team, and whoever shared when
shares end), a document declined (its sender). Without Messaging, staff with items see the Inbox (in the nav,
with its unread count) showing only their items; other conversations stay invisible (404) and answering needs
Messaging (403); staff without Messaging and without items have no Inbox, as before."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal_app.documents import portal_documents as pd
from portal_app.documents import workflow
from portal_app.documents.consent import give_consent
from portal_app.extensions import db
from portal_app.messaging import services as messaging
from portal_app.messaging.models import Conversation
from portal_app.outbox import OutboxEmail
from portal_app.requests import portal_services, services
from portal_app.roi import services as roi_services
from portal_app.roi.queries import agency_today
from tests import factories
from tests.conftest import csrf_token
from tests.requests.helpers import category, grant_portal, portal_client
from tests.roi.helpers import roi_answers, roi_form, signed_roi

BADGE = re.compile(r'>Inbox(?: <span class="badge badge-count">(\d+))?')


@pytest.fixture
def setup(agency, admin, case_manager, supervisor):
    """The case manager holds "Client Portal" but not "Messaging"; the supervisor holds both. Maria has a
    portal account, the case manager on her care team."""
    grant_portal({"admin": admin, "supervisor": supervisor, "case_manager": case_manager})
    supervisor.perm_messaging = True
    case_manager.perm_messaging = False
    client, account, access = portal_client(agency)
    factories.care_team(client, case_manager)
    return {"client": client, "account": account, "access": access, "ident": category(agency, "Identification")}


def _items(staff_id: int, kind: str) -> list[Conversation]:
    return list(db.session.scalars(select(Conversation).where(Conversation.staff_id == staff_id,
                                                              Conversation.item_kind == kind)))


def _subjects_to(address: str) -> list[str]:
    return list(db.session.scalars(select(OutboxEmail.subject).where(OutboxEmail.to_address == address)))


def _badge(page: str) -> int | None:
    """The nav's Inbox unread count (0 when the link has no badge); None when there is no Inbox link."""
    found = BADGE.search(page)
    return None if found is None else int(found.group(1) or 0)


def test_a_sender_without_messaging_sees_and_opens_the_item_of_a_fulfilled_request(client, auth, setup,
                                                                                  case_manager, supervisor):
    s = setup
    request = services.send_request(case_manager, s["client"], {"kind": "location"})
    portal_services.fulfil_location(s["account"], s["access"], request, "12 Oak Street")
    other = messaging.start_conversation(supervisor, s["client"], subject="Rent help", body_html="<p>Hi</p>",
                                         account_ids=None)
    db.session.commit()
    assert auth.login(case_manager).status_code == 302

    home = client.get("/staff/").get_data(as_text=True)
    assert _badge(home) == 1  # the nav shows the Inbox, with the item unread
    inbox = client.get("/staff/messages")
    page = inbox.get_data(as_text=True)
    assert inbox.status_code == 200 and "Portal request: Location" in page and "PORTAL" in page
    assert "Rent help" not in page and "Mass sending" not in page  # other conversations stay out of sight
    item = db.session.get(Conversation, request.conversation_id)
    resp = client.get(f"/staff/messages/{item.id}")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "I sent what you asked for" in page
    assert f'href="/staff/clients/{s["client"].id}/requests"' in page  # where to act on it
    assert "Send Response" not in page
    assert _badge(client.get("/staff/").get_data(as_text=True)) == 0  # read now

    assert client.get(f"/staff/messages/{other.id}").status_code == 404
    reply = client.post(f"/staff/messages/{item.id}/reply",
                        data={"body": "Thanks", "csrf_token": csrf_token(client, f"/staff/messages/{item.id}")})
    assert reply.status_code == 403  # answering on the portal needs Messaging


def test_cant_provide_reaches_the_sender_and_no_one_elses_item_is_shown(client, auth, setup, case_manager, agency):
    s = setup
    ident = s["ident"]
    request = services.send_request(case_manager, s["client"], {
        "kind": "document", "category_id": ident.id, "name_id": str(ident.names[0].id)})
    portal_services.cant_provide(s["account"], s["access"], request, "lost")
    assert "I can't provide" in _items(case_manager.id, "request")[0].messages[0].body_html
    colleague = factories.user(agency, role="case_manager", perm_client_portal=True)
    factories.care_team(s["client"], colleague)
    db.session.commit()
    assert auth.login(colleague).status_code == 302
    assert _badge(client.get("/staff/").get_data(as_text=True)) is None  # no item of theirs: no Inbox
    assert client.get("/staff/messages").status_code == 403
    assert client.get(f"/staff/messages/{request.conversation_id}").status_code == 403

    own = services.send_request(colleague, s["client"], {"kind": "location"})
    portal_services.fulfil_location(s["account"], s["access"], own, "12 Oak Street")
    db.session.commit()
    assert _badge(client.get("/staff/").get_data(as_text=True)) == 1
    page = client.get("/staff/messages").get_data(as_text=True)
    assert "Portal request: Location" in page and "Portal request: Document" not in page
    assert client.get(f"/staff/messages/{request.conversation_id}").status_code == 404  # the sender's, not theirs


def test_an_roi_revoked_on_the_portal_is_an_inbox_item_for_the_care_team_and_the_sharer(
        client, auth, setup, case_manager, supervisor, partner_org):
    s = setup
    roi = signed_roi(case_manager, s["client"], [partner_org], access=s["access"])
    share = factories.share(s["client"], partner_org, supervisor, roi_id=roi.id)
    before = len(_subjects_to(case_manager.email))
    roi_services.revoke_roi(s["account"], roi, "I changed my mind.", access=s["access"])
    assert not share.active

    for person in (case_manager, supervisor):  # the care team, and who shared
        [item] = _items(person.id, "roi")
        assert item.item_id == roi.id and item.client_id == s["client"].id
        assert "I revoked the release of information. I changed my mind." in item.messages[0].body_html
        assert "Sharing with 1 organization that relied on it has ended." in item.messages[0].body_html
    # the link-only emails stay as they were, and the item adds no email of its own
    assert sorted(_subjects_to(case_manager.email)[before:]) == [
        "A client revoked a release of information", "Sharing ended: a release of information is no longer active"]
    assert "New portal message in your Caseport inbox" not in _subjects_to(supervisor.email)

    db.session.commit()
    assert auth.login(case_manager).status_code == 302
    [item] = _items(case_manager.id, "roi")
    assert "Release of Information revoked" in client.get("/staff/messages").get_data(as_text=True)
    page = client.get(f"/staff/messages/{item.id}").get_data(as_text=True)
    assert f'href="/staff/clients/{s["client"].id}/roi"' in page


def test_an_roi_revoked_by_staff_or_lapsing_adds_no_item(setup, case_manager, supervisor, partner_org):
    s = setup
    roi = signed_roi(case_manager, s["client"], [partner_org], access=s["access"])
    roi_services.revoke_roi(supervisor, roi, "Letter dated 2 Nov")
    assert _items(case_manager.id, "roi") == [] and _items(supervisor.id, "roi") == []


def _declined(setup, sender, template_id: int, reason: str):
    document = workflow.start_document(sender, setup["client"], template_id)
    workflow.send_to_portal(sender, document)
    workflow.save_answers(setup["account"], document, roi_answers(other="Lane County"), submit=True,
                          today=agency_today())
    give_consent(setup["account"], "203.0.113.9")
    pd.decline(setup["account"], setup["access"], document, reason)
    return document


def test_a_declined_document_is_an_inbox_item_for_its_sender(client, auth, setup, case_manager, admin):
    document = _declined(setup, case_manager, roi_form(admin).id, "Not this agency.")
    [item] = _items(case_manager.id, "document")
    assert item.item_id == document.id
    assert "declined to sign" in item.messages[0].body_html and "Not this agency." in item.messages[0].body_html
    assert _subjects_to(case_manager.email).count("A document you sent was declined") == 1
    assert "New portal message in your Caseport inbox" not in _subjects_to(case_manager.email)

    db.session.commit()
    assert auth.login(case_manager).status_code == 302
    assert _badge(client.get("/staff/").get_data(as_text=True)) == 1
    page = client.get(f"/staff/messages/{item.id}").get_data(as_text=True)
    assert f'href="/staff/documents/{document.id}"' in page


def test_a_declined_roi_request_form_is_one_item_the_requests(setup, case_manager, admin):
    s = setup
    roi_form(admin)
    request = services.send_request(case_manager, s["client"], {"kind": "roi"})
    workflow.save_answers(s["account"], request.document, roi_answers(other="Lane County"), submit=True,
                          today=agency_today())
    give_consent(s["account"], "203.0.113.9")
    pd.decline(s["account"], s["access"], request.document, "No.")
    assert [c.id for c in _items(case_manager.id, "request")] == [request.conversation_id]
    assert _items(case_manager.id, "document") == []
