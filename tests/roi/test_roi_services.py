"""ROI records from signed release documents; status; covers; the exact refusal of a new ROI request;
revocation (portal and staff) ending the shares that relied on it; supersession."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.documents import workflow
from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.roi import queries, services
from portal_app.roi.models import ReleaseOfInformation, RoiStatus
from tests import factories as f
from tests.roi.helpers import roi_form, signed_roi

MESSAGE = ("This client already has an active Release of Information. Please review the client's Release of "
           "Information history.")


@pytest.fixture
def maria(people, partner_org):
    client = f.client(people["admin"].organization, first_name="Maria", last_name="Lopez")
    f.care_team(client, people["case_manager"])
    roi_form(people["admin"])
    return client


def _today():
    return queries.agency_today()


def test_completed_release_document_becomes_an_roi_with_its_answers(people, partner_org, maria):
    roi = signed_roi(people["case_manager"], maria, [partner_org], other="Dr. Ruiz, 541-555-0199",
                     end=_today() + timedelta(days=60))
    assert roi is not None and roi.client_id == maria.id
    assert [r.organization_id for r in roi.recipients] == [partner_org.id]
    assert roi.other_recipients == "Dr. Ruiz, 541-555-0199"
    assert roi.information_text() == ["Attendance and dates of service", "Service plan and progress"]
    assert roi.purpose_text() == "Coordinating my care" and roi.purpose_text("es") == "Coordinar mi atención"
    assert roi.start_date == _today() and roi.end_date == _today() + timedelta(days=60)
    assert roi.status(_today()) == RoiStatus.ACTIVE
    assert roi.document.status == "completed"
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "roi.created")) is not None


def test_other_documents_make_no_roi(people, maria):
    from tests.documents.documents_helpers import CONSENT_ANSWERS, client_signs, form

    document = workflow.start_document(people["admin"], maria, form(people["admin"], "Consent for services").id)
    workflow.save_answers(people["admin"], document, CONSENT_ANSWERS, submit=True)
    workflow.countersign(people["admin"], document, "Ada Admin")
    client_signs(document)
    assert document.status == "completed"
    assert db.session.scalar(select(ReleaseOfInformation.id)) is None


def test_status_is_derived_from_the_dates(people, partner_org, maria):
    today = _today()
    expired = signed_roi(people["case_manager"], maria, [], other="Court", start=today - timedelta(days=40),
                         end=today - timedelta(days=1))
    later = signed_roi(people["case_manager"], maria, [], other="School", start=today + timedelta(days=3),
                       end=today + timedelta(days=30))
    assert expired.status(today) == RoiStatus.EXPIRED and expired.status(today - timedelta(days=1)) == RoiStatus.ACTIVE
    assert later.status(today) == RoiStatus.NOT_YET
    assert queries.active_rois(maria, today) == []


def test_covers_names_only_partners_of_an_active_roi(people, partner_org, maria):
    other = f.partner_organization("Other Partner", agency=people["admin"].organization)
    today = _today()
    assert queries.covers(maria, partner_org, today) is None
    roi = signed_roi(people["case_manager"], maria, [partner_org], end=today + timedelta(days=10))
    assert queries.covers(maria, partner_org, today) == roi
    assert queries.covers(maria, other, today) is None
    assert queries.covers(maria, partner_org, today + timedelta(days=11)) is None
    assert queries.active_rois(maria, today) == [roi]


@pytest.mark.parametrize(("days_left", "refused"), [(8, True), (30, True), (7, False), (1, False)])
def test_a_new_roi_request_is_refused_with_the_exact_message(people, partner_org, maria, days_left, refused):
    today = _today()
    assert queries.roi_request_refusal(maria, today) is None
    signed_roi(people["case_manager"], maria, [partner_org], end=today + timedelta(days=days_left))
    assert queries.roi_request_refusal(maria, today) == (MESSAGE if refused else None)


def test_a_revoked_roi_does_not_refuse_a_new_request(people, partner_org, maria):
    roi = signed_roi(people["case_manager"], maria, [partner_org], end=_today() + timedelta(days=90))
    services.revoke_roi(people["case_manager"], roi, "Client's letter of 3 March")
    assert queries.roi_request_refusal(maria, _today()) is None
    assert roi.status(_today()) == RoiStatus.REVOKED and roi.revoked_by_user_id == people["case_manager"].id


def test_staff_revocation_needs_a_reason_and_an_active_roi(people, partner_org, maria):
    roi = signed_roi(people["case_manager"], maria, [partner_org])
    with pytest.raises(services.RevokeReasonRequired):
        services.revoke_roi(people["case_manager"], roi, "  ")
    with pytest.raises(services.RevokeReasonInvalid):
        services.revoke_roi(people["case_manager"], roi, "bad\x00reason")
    services.revoke_roi(people["case_manager"], roi, "Written request")
    with pytest.raises(services.RoiNotRevocable):
        services.revoke_roi(people["case_manager"], roi, "Written request")


def test_portal_revocation_ends_dependent_shares_and_tells_the_case_manager(people, partner_org, maria):
    access = f.access(f.account("maria"), maria, "self")
    roi = signed_roi(people["case_manager"], maria, [partner_org])
    share = f.share(maria, partner_org, people["case_manager"])
    share.roi_id = roi.id
    db.session.flush()
    assert services.revoke_roi(access.account, roi, "", access=access) == 1
    assert share.revoked_at is not None and share.revoked_by_id is None
    assert roi.revoked_by_account_id == access.account.id
    mails = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == people["case_manager"].email)).all()
    assert {m.subject for m in mails} >= {"A client revoked a release of information",
                                          "Sharing ended: a release of information is no longer active"}
    assert all("Maria" not in m.body_text and "Lopez" not in m.body_text for m in mails)  # S14: link only


def test_another_accounts_access_cannot_revoke(people, partner_org, maria):
    from portal_app.errors import Forbidden

    mine = f.access(f.account("maria"), maria, "self")
    stranger = f.account("stranger")
    roi = signed_roi(people["case_manager"], maria, [partner_org])
    with pytest.raises(Forbidden):
        services.revoke_roi(stranger, roi, "", access=mine)


def test_a_renewal_naming_the_same_recipients_supersedes_and_carries_the_shares(people, partner_org, maria):
    first = signed_roi(people["case_manager"], maria, [partner_org], end=_today() + timedelta(days=5))
    share = f.share(maria, partner_org, people["case_manager"])
    share.roi_id = first.id
    other = signed_roi(people["case_manager"], maria, [], other="Court")
    renewal = signed_roi(people["case_manager"], maria, [partner_org], end=_today() + timedelta(days=200))
    assert first.status(_today()) == RoiStatus.SUPERSEDED and first.superseded_by_id == renewal.id
    assert other.status(_today()) == RoiStatus.ACTIVE
    assert share.roi_id == renewal.id and share.active


def test_sending_the_roi_form_and_finding_the_roi_it_became(people, partner_org, maria):
    from portal_app.roi.sending import send_roi_to_portal
    from tests.documents.documents_helpers import client_signs
    from tests.roi.helpers import roi_answers

    access = f.access(f.account("maria"), maria, "self")
    document = send_roi_to_portal(people["case_manager"], maria)
    assert document.status == "waiting_client" and queries.roi_for_document(document.id) is None
    workflow.save_answers(access.account, document, roi_answers([partner_org]), submit=True)
    client_signs(document, access=access)
    assert queries.roi_for_document(document.id).recipients[0].organization_id == partner_org.id
