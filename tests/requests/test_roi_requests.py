"""The Release of Information request kind: refused with the exact sentence while an ROI lasts beyond 7 days,
else the agency's ROI form goes to the portal; signing it makes the ROI and fulfils the request (Inbox item
for who asked); declining marks it "can't provide" with the reason; packets count it; hiding still holds."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal_app.authz import Permission, can
from portal_app.documents import portal_documents as pd
from portal_app.documents import workflow
from portal_app.documents.consent import give_consent
from portal_app.extensions import db
from portal_app.messaging.models import Conversation, Message
from portal_app.portal_access.hiding import hide_item
from portal_app.requests import portal_services, services
from portal_app.requests.errors import RequestError
from portal_app.requests.models import DECLINED, ITEM_TYPE, PortalRequest, RequestStatus
from portal_app.requests.queries import bundle_progress, portal_requests
from portal_app.requests.roi_kind import RoiAlreadyActive
from portal_app.roi.models import ReleaseOfInformation
from portal_app.roi.queries import agency_today, history
from tests import factories
from tests.conftest import csrf_token
from tests.requests.helpers import category, grant_portal, portal_client
from tests.roi.helpers import roi_answers, roi_form, signed_roi
from tests.sites.portal.helpers import portal_login

S = RequestStatus
EXACT = ("This client already has an active Release of Information. Please review the client's "
         "Release of Information history.")


@pytest.fixture
def setup(agency, admin, case_manager, supervisor):
    grant_portal({"admin": admin, "supervisor": supervisor, "case_manager": case_manager})
    client, account, access = portal_client(agency)
    roi_form(admin)
    return {"client": client, "account": account, "access": access}


def _sign_on_portal(account, access, document, name="Maria Lopez"):
    """As the portal does: fill in the form, agree to e-sign, sign by typed name."""
    workflow.save_answers(account, document, roi_answers(other="Lane County Housing Authority"), submit=True, today=agency_today())
    give_consent(account, "203.0.113.9")
    pd.sign(account, access, document, name)


def test_request_signed_on_the_portal_makes_the_roi_and_fulfils_the_request(setup, case_manager):
    s = setup
    request = services.send_request(case_manager, s["client"], {"kind": "roi"})
    assert request.status == S.OPEN and request.document is not None
    assert request.document.status == "waiting_client" and request.document.sent_at is not None
    assert request.kind_label == "Release of Information"

    _sign_on_portal(s["account"], s["access"], request.document)
    roi = db.session.scalar(select(ReleaseOfInformation).where(ReleaseOfInformation.document_id == request.document_id))
    assert roi is not None and history(s["client"]) == [roi]
    assert request.status == S.FULFILLED and request.fulfilled_by_id == s["account"].id
    conversation = db.session.get(Conversation, request.conversation_id)
    assert conversation.staff_id == case_manager.id  # the Inbox item of the staff member who asked
    message = db.session.scalar(select(Message).where(Message.conversation_id == conversation.id))
    assert message.sender_account_id == s["account"].id and "release of information" in message.body_html


def test_a_second_request_is_refused_with_the_exact_sentence_until_the_roi_expires_within_7_days(setup, case_manager):
    s = setup
    signed_roi(case_manager, s["client"], end=agency_today() + timedelta(days=30), access=s["access"], other="Lane County")
    with pytest.raises(RoiAlreadyActive) as refused, db.session.begin_nested():
        services.send_request(case_manager, s["client"], {"kind": "roi"})
    assert str(refused.value) == EXACT and refused.value.status == 409
    assert isinstance(refused.value, RequestError)
    assert db.session.scalar(select(PortalRequest).where(PortalRequest.client_id == s["client"].id)) is None

    s2_client, _account, _access = portal_client(case_manager.organization, username="sam")
    signed_roi(case_manager, s2_client, end=agency_today() + timedelta(days=7), access=_access, other="Lane County")
    request = services.send_request(case_manager, s2_client, {"kind": "roi"})  # ends within 7 days: allowed
    assert request.document is not None and request.status == S.OPEN


def test_a_signed_roi_is_accepted_not_returned_and_a_cancelled_request_voids_its_form(setup, case_manager):
    from portal_app.requests.errors import WrongStatus

    s = setup
    signed = services.send_request(case_manager, s["client"], {"kind": "roi"})
    _sign_on_portal(s["account"], s["access"], signed.document)
    with pytest.raises(WrongStatus, match="cannot be returned"), db.session.begin_nested():
        services.return_result(case_manager, signed, "Please sign again.")
    services.accept_result(case_manager, signed)
    assert signed.status == S.ACCEPTED

    other, _account, access = portal_client(case_manager.organization, username="sam")
    request = services.send_request(case_manager, other, {"kind": "roi"})
    services.cancel_request(case_manager, request)
    assert request.status == S.CANCELLED and request.document.status == "voided"
    assert pd.portal_documents(access) == ([], [])  # the form left the portal with the request


def test_a_declined_form_marks_the_request_cant_provide_with_the_reason(setup, case_manager):
    s = setup
    request = services.send_request(case_manager, s["client"], {"kind": "roi"})
    workflow.save_answers(s["account"], request.document, roi_answers(other="Lane County Housing Authority"), submit=True, today=agency_today())
    give_consent(s["account"], "203.0.113.9")
    pd.decline(s["account"], s["access"], request.document, "I do not want Hope to see my records.")
    assert request.status == S.CANT_PROVIDE and request.cant_reason == DECLINED
    assert request.cant_text == "I do not want Hope to see my records."
    message = db.session.scalar(select(Message).where(Message.conversation_id == request.conversation_id))
    assert "declined to sign" in message.body_html
    assert db.session.scalar(select(ReleaseOfInformation).where(
        ReleaseOfInformation.client_id == s["client"].id)) is None
    pd.sign(s["account"], s["access"], request.document, "Maria Lopez")  # changed their mind: signs after all
    assert request.status == S.FULFILLED


def test_a_packet_counts_the_roi_in_its_progress(setup, case_manager, agency):
    s = setup
    ident = category(agency, "Identification")
    bundle = services.send_bundle(case_manager, s["client"], "Intake packet", [
        {"kind": "document", "category_id": ident.id, "name_id": str(ident.names[0].id)},
        {"kind": "location"}, {"kind": "roi"}])
    document, location, roi_request = bundle.requests
    assert bundle_progress([bundle.id]) == {bundle.id: (0, 3)}
    portal_services.fulfil_location(s["account"], s["access"], location, "12 Oak Street")
    _sign_on_portal(s["account"], s["access"], roi_request.document)
    assert bundle_progress([bundle.id]) == {bundle.id: (2, 3)}
    assert roi_request.status == S.FULFILLED and document.status == S.OPEN


def test_a_refused_roi_leaves_no_packet_behind(setup, case_manager):
    s = setup
    signed_roi(case_manager, s["client"], end=agency_today() + timedelta(days=90), access=s["access"], other="Lane County")
    with pytest.raises(RoiAlreadyActive):
        services.send_bundle(case_manager, s["client"], "Intake packet", [{"kind": "location"}, {"kind": "roi"}])


def test_hidden_from_one_representative_still_holds(setup, case_manager):
    s = setup
    mother = factories.account("mother", email="mother@example.test")
    mother_access = factories.access(mother, s["client"], label="mother")
    request = services.send_request(case_manager, s["client"], {"kind": "roi"})
    hide_item(case_manager, mother_access, ITEM_TYPE, request.id)
    assert portal_requests(mother_access) == [] and portal_requests(s["access"]) == [request]
    assert not can(mother, Permission.PORTAL_REQUESTS, (mother_access, request))
    assert can(s["account"], Permission.PORTAL_REQUESTS, (s["access"], request))


def test_without_an_roi_form_the_request_is_refused_with_the_roi_domains_sentence(agency, admin, case_manager,
                                                                                 supervisor):
    from portal_app.requests.roi_kind import RoiNotSent

    grant_portal({"admin": admin, "supervisor": supervisor, "case_manager": case_manager})
    client, _account, _access = portal_client(agency)
    with pytest.raises(RoiNotSent) as refused:
        services.send_request(case_manager, client, {"kind": "roi"})
    assert refused.value.status == 409 and "no Release of Information form" in str(refused.value)


def test_a_mass_sent_roi_request_skips_the_clients_with_a_lasting_roi(client, auth, people):
    from portal_app.messaging.models import MassSend
    from portal_app.worker import run_mass_sends

    cm = people["case_manager"]
    cm.perm_messaging = cm.perm_client_portal = True
    roi_form(people["admin"])
    covered, _a, covered_access = portal_client(cm.organization, username="covered")
    uncovered = portal_client(cm.organization, username="uncovered")[0]
    for person in (covered, uncovered):
        factories.care_team(person, cm)
    signed_roi(cm, covered, end=agency_today() + timedelta(days=90), access=covered_access, other="Lane County")
    db.session.commit()
    assert auth.login(cm).status_code == 302
    url = "/staff/requests/mass"
    resp = client.post(url, data={"csrf_token": csrf_token(client, url), "kind": "roi",
                                  "client_ids": [str(covered.id), str(uncovered.id)]})
    assert resp.status_code == 302  # the first client's ROI refuses them alone, not the whole send
    assert run_mass_sends(batch_size=10) == 1
    job = db.session.scalar(select(MassSend))
    db.session.refresh(job)
    assert (job.delivered, job.skipped) == (1, 1)
    sent = db.session.scalars(select(PortalRequest).where(PortalRequest.kind == "roi")).all()
    assert [r.client_id for r in sent] == [uncovered.id] and sent[0].document is not None


# --- the sites ---------------------------------------------------------------------------------------------

def test_staff_form_shows_the_exact_refusal_with_the_history_link(client, auth, people):
    grant_portal(people)
    person, _account, access = portal_client(people["admin"].organization)
    roi_form(people["admin"])
    signed_roi(people["case_manager"], person, end=agency_today() + timedelta(days=60), access=access, other="Lane County")
    db.session.commit()
    assert auth.login(people["case_manager"]).status_code == 302
    new = f"/staff/clients/{person.id}/requests/new"
    resp = client.post(new, data={"kind": "roi", "csrf_token": csrf_token(client, new + "?kind=roi")})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert EXACT.replace("'", "&#39;") in page
    assert f'href="/staff/clients/{person.id}/roi"' in page or f"/staff/clients/{person.id}/roi" in page
    assert db.session.scalar(select(PortalRequest).where(PortalRequest.client_id == person.id)) is None


def test_portal_link_opens_the_form_and_staff_see_the_signed_roi(client, auth, people):
    grant_portal(people)
    person, account, access = portal_client(people["admin"].organization)
    roi_form(people["admin"])
    request = services.send_request(people["case_manager"], person, {"kind": "roi"})
    db.session.commit()
    document_id, request_id = request.document_id, request.id
    assert portal_login(client, account.username).status_code == 302
    assert f"/portal/requests/{request_id}/roi" in client.get("/portal/requests").get_data(as_text=True)
    resp = client.get(f"/portal/requests/{request_id}/roi")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/portal/documents/{document_id}")

    _sign_on_portal(account, access, db.session.get(PortalRequest, request_id).document)
    db.session.commit()
    assert auth.login(people["case_manager"]).status_code == 302
    page = client.get(f"/staff/clients/{person.id}/requests").get_data(as_text=True)
    roi = db.session.scalar(select(ReleaseOfInformation).where(ReleaseOfInformation.document_id == document_id))
    assert "ROI signed, valid until" in page and roi.end_date.isoformat() in page
    assert f"/staff/clients/{person.id}/roi" in page
