"""Sharing queries: Needs Review scope and order, the client log, plan and shares."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal_app.clock import utcnow
from portal_app.sharing import queries
from tests import factories
from tests import factories as sf


@pytest.fixture
def caseload(agency, case_manager, partner_user):
    """Two clients of the agency, one on the case manager's care team, each with a pending contact;
    and a client of another agency shared with the same partner, with its own pending contact."""
    mine, theirs = sf.client(agency), sf.client(agency)
    sf.care_team(mine, case_manager)
    other_agency = sf.client(factories.agency())
    return {
        "mine": sf.contact(mine, partner_user),
        "theirs": sf.contact(theirs, partner_user),
        "other_agency": sf.contact(other_agency, partner_user),
    }


def test_case_manager_sees_only_their_care_team(case_manager, caseload):
    assert queries.needs_review(case_manager) == [caseload["mine"]]
    assert queries.needs_review_count(case_manager) == 1


@pytest.mark.parametrize("role", ["admin", "supervisor"])
def test_supervisors_and_admins_see_the_whole_agency(people, caseload, role):
    found = queries.needs_review(people[role])
    assert set(found) == {caseload["mine"], caseload["theirs"]}
    assert queries.needs_review_count(people[role]) == 2


def test_nobody_sees_another_agencys_contacts(caseload):
    stranger = factories.user(factories.agency(), role="admin")
    assert queries.needs_review(stranger) == [] and queries.needs_review_count(stranger) == 0


def test_reviewed_and_staff_contacts_are_not_pending(supervisor, partner_user, a_client):
    sf.contact(a_client, partner_user, reviewed_by=supervisor)
    sf.contact(a_client, supervisor)
    assert queries.needs_review(supervisor) == [] and queries.needs_review_count(supervisor) == 0
    assert queries.client_needs_review_count(a_client) == 0


def test_needs_review_is_newest_first_and_limited(supervisor, partner_user, a_client):
    rows = sf.pending_contacts(a_client, partner_user, 5)
    assert queries.needs_review(supervisor) == rows[::-1]
    assert queries.needs_review(supervisor, limit=2) == [rows[4], rows[3]]
    assert queries.needs_review_count(supervisor) == 5 == queries.client_needs_review_count(a_client)


def test_client_contacts_newest_first(case_manager, partner_user, a_client):
    old = sf.contact(a_client, case_manager, occurred_at=utcnow() - timedelta(days=3))
    new = sf.contact(a_client, partner_user, occurred_at=utcnow() - timedelta(hours=1))
    sf.contact(sf.client(a_client.organization), case_manager)
    assert queries.client_contacts(a_client).items == [new, old]


def test_plan_and_active_shares(case_manager, a_client, partner_org):
    zed = sf.provider(a_client, factories.partner_organization("Zed Recovery"), added_by=case_manager)
    abc = sf.provider(a_client, factories.partner_organization("Abc Housing"))
    assert queries.service_providers(a_client) == [abc, zed]
    live = sf.share(a_client, partner_org, case_manager)
    sf.share(a_client, zed.organization, case_manager, revoked_at=utcnow(), revoked_by_id=case_manager.id)
    assert queries.active_shares(a_client) == [live]
