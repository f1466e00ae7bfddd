""""Sharing requires an active ROI": Share Client refused without one, a supervisor's audited override, and
the shares that relied on an ROI ending on revocation and on expiry (by the app clock: at the partner's
next request, and the worker's pass that records the end and tells the case managers); expiry warnings."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal_app import clock
from portal_app.audit import AuditEvent
from portal_app.authz import Permission, can
from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.roi import lifecycle, queries, services
from portal_app.sharing import services as sharing
from portal_app.sharing.queries import partner_shared_clients
from portal_app.sharing.roi_gate import OverrideInvalid, OverrideNotAllowed, RoiRequired
from portal_app.worker import run_roi_passes
from tests import factories as f
from tests.roi.helpers import roi_form, signed_roi


@pytest.fixture
def setup(people, partner_org):
    agency = people["admin"].organization
    agency.sharing_requires_roi = True
    client = f.client(agency, first_name="Maria", last_name="Lopez")
    f.care_team(client, people["case_manager"])
    f.provider(client, partner_org)
    roi_form(people["admin"])
    return client


def _emails(to: str) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == to)))


def test_without_the_setting_sharing_needs_no_roi(people, partner_org, setup):
    people["admin"].organization.sharing_requires_roi = False
    share = sharing.share_client(people["case_manager"], setup, partner_org, "")
    assert share.roi_id is None


def test_sharing_without_a_covering_roi_is_refused(people, partner_org, setup):
    signed_roi(people["case_manager"], setup, [], other="Elsewhere Clinic")  # names someone else only
    with pytest.raises(RoiRequired) as refused:
        sharing.share_client(people["case_manager"], setup, partner_org, "")
    assert "active Release of Information" in str(refused.value) and refused.value.status == 409


def test_sharing_with_a_covering_roi_relies_on_it(people, partner_org, setup):
    roi = signed_roi(people["case_manager"], setup, [partner_org])
    share = sharing.share_client(people["case_manager"], setup, partner_org, "")
    assert share.roi_id == roi.id


def test_only_a_supervisor_overrides_with_a_reason_audited(people, partner_org, setup):
    with pytest.raises(OverrideNotAllowed):
        sharing.share_client(people["case_manager"], setup, partner_org, "", "Court order 12")
    with pytest.raises(OverrideInvalid):
        sharing.share_client(people["supervisor"], setup, partner_org, "", "no")
    share = sharing.share_client(people["supervisor"], setup, partner_org, "", "Court order 12")
    assert share.roi_id is None and share.roi_override_reason == "Court order 12"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sharing.roi_override"))
    assert "Court order 12" in event.details


def test_revocation_ends_the_share_at_once(people, partner_org, partner_user, setup):
    roi = signed_roi(people["case_manager"], setup, [partner_org])
    sharing.share_client(people["case_manager"], setup, partner_org, "")
    assert can(partner_user, Permission.PARTNER_CLIENTS, setup)
    services.revoke_roi(people["case_manager"], roi, "Client's letter")
    assert not can(partner_user, Permission.PARTNER_CLIENTS, setup)
    assert partner_shared_clients(partner_user).items == []


def test_expiry_ends_the_share_by_the_app_clock_then_the_worker_records_it(people, partner_org, partner_user, setup):
    clock.freeze(datetime(2026, 11, 22, 18, 0, tzinfo=UTC))  # 10 AM in the agency's zone
    try:
        today = queries.agency_today()
        roi = signed_roi(people["case_manager"], setup, [partner_org], end=today + timedelta(days=2))
        share = sharing.share_client(people["case_manager"], setup, partner_org, "")
        clock.advance(timedelta(days=2))  # the last day of the release: still shared
        assert can(partner_user, Permission.PARTNER_CLIENTS, setup)
        assert lifecycle.end_lapsed() == 0
        clock.advance(timedelta(days=1))  # the day after: the partner's next request is refused
        assert not can(partner_user, Permission.PARTNER_CLIENTS, setup)
        assert partner_shared_clients(partner_user).items == []
        assert share.active  # ...before the worker's pass records the end
        assert lifecycle.end_lapsed() == 1 and not share.active and roi.lapse_handled_at is not None
        assert lifecycle.end_lapsed() == 0  # idempotent
        subjects = [m.subject for m in _emails(people["case_manager"].email)]
        assert subjects.count("Sharing ended: a release of information is no longer active") == 1
    finally:
        clock.freeze(None)


def test_expiry_warnings_14_and_3_days_before_once_each(people, partner_org, setup):
    account = f.account("maria", email="maria@example.test")
    f.access(account, setup, "self")
    clock.freeze(datetime(2026, 11, 22, 18, 0, tzinfo=UTC))
    try:
        end = queries.agency_today() + timedelta(days=20)
        signed_roi(people["case_manager"], setup, [partner_org], end=end)
        assert lifecycle.send_expiry_warnings() == 0
        clock.advance(timedelta(days=6))  # 14 days left
        assert lifecycle.send_expiry_warnings() == 1
        assert lifecycle.send_expiry_warnings() == 0
        clock.advance(timedelta(days=10))  # 4 days left
        assert lifecycle.send_expiry_warnings() == 0
        clock.advance(timedelta(days=1))  # 3 days left
        assert run_roi_passes() == (0, 1)
        assert run_roi_passes() == (0, 0)
        mails = _emails("maria@example.test")
        assert [m.subject for m in mails] == ["A release of information ends soon"] * 2
        assert "14 days" in mails[0].body_text and "3 days" in mails[1].body_text
        assert all("/portal/roi" in m.body_text and "Maria" not in m.body_text for m in mails)
    finally:
        clock.freeze(None)
