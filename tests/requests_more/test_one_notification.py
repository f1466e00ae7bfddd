"""One email per portal account for each send: an ROI request (whose form goes to the portal as a document) and
a packet carrying an ROI email once, with a link to the Requests page where the client acts; a document sent
to the portal from the Documents tab (or the ROI history) still emails its own link."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from portal_app.documents import workflow
from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.requests import services
from portal_app.roi.sending import send_roi_to_portal
from tests import factories
from tests.conftest import csrf_token
from tests.requests.helpers import category, gad7, grant_portal, portal_client
from tests.roi.helpers import roi_form

MARIA, MOTHER = "maria@example.test", "mother@example.test"


@pytest.fixture
def setup(agency, admin, case_manager, supervisor):
    grant_portal({"admin": admin, "supervisor": supervisor, "case_manager": case_manager})
    client = portal_client(agency)[0]
    mother = factories.account("mother", email=MOTHER)
    factories.access(mother, client, label="mother")
    roi_form(admin)
    return {"client": client, "template": gad7(admin), "ident": category(agency, "Identification")}


def _per_recipient() -> Counter:
    return Counter(db.session.scalars(select(OutboxEmail.to_address)))


def _bodies(address: str) -> list[str]:
    return list(db.session.scalars(select(OutboxEmail.body_text).where(OutboxEmail.to_address == address)))


def test_an_roi_request_emails_each_account_once_with_the_requests_link(setup, case_manager):
    request = services.send_request(case_manager, setup["client"], {"kind": "roi"})
    assert request.document.status == "waiting_client"  # the form is on the portal all the same
    assert _per_recipient() == {MARIA: 1, MOTHER: 1}
    body = _bodies(MARIA)[0]
    assert "/portal/requests" in body and "Maria" not in body  # where the client acts; no details (S14)


def test_an_intake_packet_with_an_roi_is_one_email_per_account(setup, case_manager):
    ident = setup["ident"]
    names = ident.names
    services.send_bundle(case_manager, setup["client"], "Intake packet", [
        {"kind": "assessment", "template_id": setup["template"].id},
        {"kind": "document", "category_id": ident.id, "name_id": str(names[0].id)},
        {"kind": "document", "category_id": ident.id, "name_id": str(names[1].id)},
        {"kind": "roi"}])
    assert _per_recipient() == {MARIA: 1, MOTHER: 1}
    assert all("/portal/requests" in body for body in _bodies(MARIA) + _bodies(MOTHER))


def test_a_form_sent_from_the_roi_history_still_emails_its_own_link(setup, case_manager):
    document = send_roi_to_portal(case_manager, setup["client"])
    assert document.status == "waiting_client"
    assert _per_recipient() == {MARIA: 1, MOTHER: 1}
    assert "/portal/requests" not in _bodies(MARIA)[0] and "/portal/" in _bodies(MARIA)[0]


def test_send_to_portal_from_the_documents_tab_still_emails_each_account(client, auth, setup, case_manager):
    template = roi_form(case_manager)  # any form fillable on the portal
    document = workflow.start_document(case_manager, setup["client"], template.id)
    db.session.commit()
    assert auth.login(case_manager).status_code == 302
    detail = f"/staff/documents/{document.id}"
    resp = client.post(f"{detail}/send", data={"csrf_token": csrf_token(client, detail)})
    assert resp.status_code == 302
    assert _per_recipient() == {MARIA: 1, MOTHER: 1}
    assert "/portal/" in _bodies(MOTHER)[0]
