"""Sharing queries: Needs Review scope and order, the client log, plan and shares."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal_app.clock import utcnow
from portal_app.sharing import queries, review_queries
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


def ids(rows) -> list[int]:
    """Needs Review rows (or contacts) by contact id, in their order."""
    return [row.id for row in rows]


def test_a_needs_review_row_carries_what_its_line_shows(supervisor, partner_user, a_client):
    """The row of the home and the client log: the client's, author's and organization's names, the method's
    label and the notes' first line, read as plain columns."""
    contact = sf.contact(a_client, partner_user, notes="Came in on time.\nSecond line", method="home_visit")
    for row in (review_queries.needs_review(supervisor)[0], review_queries.client_needs_review(a_client, 5)[0]):
        assert (row.id, row.client_id, row.occurred_at) == (contact.id, a_client.id, contact.occurred_at)
        assert row.client_name == a_client.display_name and row.author_name == partner_user.display_name
        assert row.organization_name == partner_user.organization.name
        assert row.method_label == "Home visit" and row.first_line == "Came in on time."


def test_case_manager_sees_only_their_care_team(case_manager, caseload):
    assert ids(review_queries.needs_review(case_manager)) == ids([caseload["mine"]])
    assert review_queries.needs_review_count(case_manager) == 1


@pytest.mark.parametrize("role", ["admin", "supervisor"])
def test_supervisors_and_admins_see_the_whole_agency(people, caseload, role):
    found = review_queries.needs_review(people[role])
    assert set(ids(found)) == {caseload["mine"].id, caseload["theirs"].id}
    assert review_queries.needs_review_count(people[role]) == 2


def _sqlite_plan(stmt, params: dict) -> list[str]:
    """The steps of SQLite's EXPLAIN QUERY PLAN for a statement built once per process, bound with `params`."""
    from portal_app.extensions import db

    compiled = stmt.compile(db.engine)
    values = {**compiled.params, **params}
    rows = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}",
                                                   tuple(values[name] for name in compiled.positiontup)).all()
    return [row[3] for row in rows]


def test_a_caseloads_needs_review_is_its_own_range_not_the_agencys_pending_list(agency, case_manager, partner_user):
    """A case manager with two clients in an agency whose other clients have hundreds of newer pending contacts:
    their Needs Review is their two clients' contacts, newest first, and the counter counts only those. The read
    is one range of their own ReviewWaiting entries: filtering the agency's newest pending contacts by caseload
    walked all of them for a caseload of 40 at 10k (3,566 rows), and 582 for a caseload of 1,497."""
    from portal_app.extensions import db
    from portal_app.statements import staff_params

    first, second = sf.client(agency), sf.client(agency)
    for client in (first, second):
        sf.care_team(client, case_manager)
    older = utcnow() - timedelta(days=3)
    mine = [sf.contact(first, partner_user, occurred_at=older), sf.contact(second, partner_user, occurred_at=older
                                                                            + timedelta(minutes=5))]
    for _ in range(3):
        sf.pending_contacts(sf.client(agency), partner_user, 40)  # newer than the case manager's, not theirs

    contacts, count = review_queries.needs_review_page(case_manager, 25)
    assert ids(contacts) == ids(mine[::-1]) and count == 2
    assert review_queries.needs_review_count(case_manager) == 2

    if db.engine.dialect.name == "sqlite":  # PostgreSQL chooses by its statistics (a tiny table: it scans)
        plan = _sqlite_plan(review_queries._needs_review_ids_statement(True, review_queries.NEEDS_REVIEW_CAP + 1),
                            staff_params(case_manager))
        assert plan == ["SEARCH review_waiting USING COVERING INDEX ix_review_waiting_newest (user_id=? AND agency_id=?)"]


def test_an_agencys_needs_review_is_its_own_range_whatever_other_agencies_hold(supervisor, partner_user, a_client):
    """Each contact keeps a copy of its client's agency, however inserted (a bulk INSERT too). A supervisor's
    Needs Review reads their agency's range of the pending contacts: another agency's newer ones are neither
    shown nor read (checking the client's agency per row walked every agency's)."""
    from sqlalchemy import insert, select

    from portal_app.extensions import db
    from portal_app.sharing.models import Contact, ContactSource
    from portal_app.statements import staff_params

    mine = sf.pending_contacts(a_client, partner_user, 3)
    elsewhere = sf.client(factories.agency())
    sf.pending_contacts(elsewhere, partner_user, 30)  # another agency's, the same day, most newer than mine
    db.session.execute(insert(Contact), [{"client_id": a_client.id, "author_id": partner_user.id,
                                          "organization_id": partner_user.organization_id, "method": "phone",
                                          "occurred_at": utcnow(), "source": ContactSource.THIRD_PARTY}])
    bulk = db.session.scalar(select(Contact).where(Contact.client_id == a_client.id)
                             .order_by(Contact.id.desc()).limit(1))
    assert bulk.agency_id == a_client.organization_id
    assert {c.agency_id for c in mine} == {a_client.organization_id}

    contacts, count = review_queries.needs_review_page(supervisor, 25)
    assert ids(contacts) == ids([bulk, *mine[::-1]]) and count == 4

    if db.engine.dialect.name == "sqlite":  # PostgreSQL chooses by its statistics
        plan = _sqlite_plan(review_queries._needs_review_ids_statement(False, review_queries.NEEDS_REVIEW_CAP + 1),
                            staff_params(supervisor))
        assert plan == [plan[0]] and "ix_contact_needs_review_agency (agency_id=?)" in plan[0]


def test_the_counter_stops_at_99_plus_and_the_page_is_the_newest(supervisor, partner_user, a_client):
    rows = sf.pending_contacts(a_client, partner_user, review_queries.NEEDS_REVIEW_CAP + 3)
    contacts, count = review_queries.needs_review_page(supervisor, 25)
    assert count == review_queries.NEEDS_REVIEW_CAP + 1 == review_queries.needs_review_count(supervisor)
    assert ids(contacts) == ids(rows[::-1][:25])


def test_nobody_sees_another_agencys_contacts(caseload):
    stranger = factories.user(factories.agency(), role="admin")
    assert review_queries.needs_review(stranger) == [] and review_queries.needs_review_count(stranger) == 0


def test_reviewed_and_staff_contacts_are_not_pending(supervisor, partner_user, a_client):
    sf.contact(a_client, partner_user, reviewed_by=supervisor)
    sf.contact(a_client, supervisor)
    assert review_queries.needs_review(supervisor) == [] and review_queries.needs_review_count(supervisor) == 0
    assert review_queries.client_needs_review_count(a_client) == 0


def test_needs_review_is_newest_first_and_limited(supervisor, partner_user, a_client):
    rows = sf.pending_contacts(a_client, partner_user, 5)
    assert ids(review_queries.needs_review(supervisor)) == ids(rows[::-1])
    assert ids(review_queries.needs_review(supervisor, limit=2)) == ids([rows[4], rows[3]])
    assert ids(review_queries.client_needs_review(a_client, 3)) == ids(rows[::-1][:3])
    assert review_queries.needs_review_count(supervisor) == 5 == review_queries.client_needs_review_count(a_client)


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


def test_a_partners_shared_clients_are_in_alphabetical_order_and_follow_a_rename(agency, case_manager, partner_user):
    """The list pages through the shares' copy of each client's sort key: accents folded, kept on a rename,
    filled for a share however it is inserted (a bulk INSERT too)."""
    from sqlalchemy import insert, select

    from portal_app.extensions import db
    from portal_app.sharing.models import ClientShare

    partner = partner_user.organization
    names = [("Zoe", "Whitaker"), ("Inés", "Álvarez"), ("Ben", "Núñez")]
    whitaker, alvarez, nunez = (sf.client(agency, first_name=f, last_name=l) for f, l in names)
    for client in (whitaker, alvarez):
        sf.share(client, partner, case_manager)
    db.session.execute(insert(ClientShare), [{"client_id": nunez.id, "organization_id": partner.id,
                                              "shared_by_id": case_manager.id, "note": ""}])
    assert db.session.scalar(select(ClientShare.client_sort_name).where(ClientShare.client_id == nunez.id)) == (
        nunez.sort_name)

    def listed() -> list[str]:
        db.session.expire_all()
        return [view.name for view in queries.partner_shared_clients(partner_user)]

    assert listed() == ["Inés Álvarez", "Ben Núñez", "Zoe Whitaker"]
    whitaker.last_name = "Abbott"  # married, say: the name changes, the share does not
    db.session.flush()
    assert listed() == ["Zoe Abbott", "Inés Álvarez", "Ben Núñez"]


def test_a_caseload_is_in_alphabetical_order_from_its_own_index_and_follows_a_rename(agency, case_manager):
    """The home's "My caseload" pages through the care-team rows' copy of each client's sort key: accents
    folded, kept on a rename, filled however the row is inserted (a bulk INSERT too), only the actor's
    clients of their own agency; on SQLite the page is a range of the caseload's index, not a walk of the
    agency's clients by name (2,500 of them for a caseload of 40 at 10k)."""
    from sqlalchemy import insert, select

    from portal_app.clients.models import CareTeamMember
    from portal_app.extensions import db
    from portal_app.statements import staff_params

    names = [("Zoe", "Whitaker"), ("Inés", "Álvarez"), ("Ben", "Núñez")]
    whitaker, alvarez, nunez = (sf.client(agency, first_name=f, last_name=l) for f, l in names)
    for client in (whitaker, alvarez):
        sf.care_team(client, case_manager)
    db.session.execute(insert(CareTeamMember), [{"client_id": nunez.id, "user_id": case_manager.id,
                                                 "role": "Case manager"}])
    assert db.session.scalar(select(CareTeamMember.client_sort_name)
                             .where(CareTeamMember.client_id == nunez.id)) == nunez.sort_name
    for _ in range(5):  # the agency's other clients, first in the alphabet, on nobody's caseload
        sf.client(agency, first_name="Aaron", last_name="Aardvark")

    def listed(page: int = 1, per_page: int = 10) -> list[str]:
        db.session.expire_all()
        return [row.client.last_name for row in queries.caseload_last_contact(case_manager, page, per_page).items]

    assert listed() == ["Álvarez", "Núñez", "Whitaker"]
    assert listed(2, 2) == ["Whitaker"]
    whitaker.last_name = "Abbott"  # the name changes, the care team does not
    db.session.flush()
    assert listed() == ["Abbott", "Álvarez", "Núñez"]

    if db.engine.dialect.name == "sqlite":  # PostgreSQL chooses by its statistics
        plan = _sqlite_plan(queries._caseload_statement().limit(11), staff_params(case_manager))
        assert "ix_care_team_member_caseload" in plan[0] and not any("TEMP B-TREE" in step for step in plan)
