"""A case manager's Needs Review is kept as ReviewWaiting entries, in the same transaction as the contacts and the
care teams they come from: whatever changes, what the home shows is what the contacts say (P6)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.sharing import review_queries, services
from portal_app.sharing.models import ReviewWaiting, rebuild_review_waiting
from tests import factories
from tests import factories as sf


def _shown(user) -> list[int]:
    return [row.id for row in review_queries.needs_review(user)]


def _entries() -> set[tuple[int, int]]:
    return {tuple(row) for row in db.session.execute(select(ReviewWaiting.contact_id, ReviewWaiting.user_id))}


def _as_rebuilt() -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """The entries as kept, and as a rebuild from the contacts and care teams makes them."""
    kept = _entries()
    rebuild_review_waiting()
    rebuilt = _entries()
    assert rebuild_review_waiting() == len(rebuilt)
    return kept, rebuilt


def test_a_partners_contact_waits_for_each_case_manager_of_the_client_until_reviewed(
        agency, case_manager, partner_user):
    colleague = factories.user(agency, role="case_manager")
    elsewhere = factories.user(agency, role="case_manager")  # on another client's care team
    client, other = sf.client(agency), sf.client(agency)
    sf.care_team(client, case_manager)
    sf.care_team(client, colleague)
    sf.care_team(other, elsewhere)
    contact = services.record_contact(partner_user, client, occurred_at=utcnow() - timedelta(hours=1),
                                      method="phone", notes="Came to group.")
    staff_contact = services.record_contact(case_manager, client, occurred_at=utcnow(), method="phone",
                                            notes="Called about the court date.")
    assert _shown(case_manager) == _shown(colleague) == [contact.id]
    assert _shown(elsewhere) == [] and staff_contact.id not in {c for c, _ in _entries()}

    assert services.mark_contact_reviewed(colleague, contact)
    db.session.flush()
    assert _shown(case_manager) == _shown(colleague) == []
    assert _entries() == set()


def test_joining_and_leaving_a_care_team_brings_and_takes_the_clients_waiting_contacts(
        agency, case_manager, partner_user):
    client = sf.client(agency)
    older = sf.contact(client, partner_user, occurred_at=utcnow() - timedelta(days=2))
    newer = sf.contact(client, partner_user, occurred_at=utcnow() - timedelta(hours=2))
    sf.contact(client, partner_user, reviewed_by=case_manager)  # reviewed already: waits for nobody
    assert _shown(case_manager) == []

    member = sf.care_team(client, case_manager)
    assert _shown(case_manager) == [newer.id, older.id]
    assert review_queries.needs_review_count(case_manager) == 2

    db.session.delete(member)
    db.session.flush()
    assert _shown(case_manager) == [] and _entries() == set()


def test_a_care_team_row_given_to_another_person_moves_their_entries(agency, case_manager, partner_user):
    successor = factories.user(agency, role="case_manager")
    client = sf.client(agency)
    member = sf.care_team(client, case_manager)
    contact = sf.contact(client, partner_user)
    member.user = successor
    db.session.flush()
    assert _shown(case_manager) == [] and _shown(successor) == [contact.id]


def test_an_edited_time_moves_the_contact_in_the_list(agency, case_manager, partner_user):
    client = sf.client(agency)
    sf.care_team(client, case_manager)
    first = sf.contact(client, partner_user, occurred_at=utcnow() - timedelta(hours=3))
    second = sf.contact(client, partner_user, occurred_at=utcnow() - timedelta(hours=2))
    assert _shown(case_manager) == [second.id, first.id]
    services.update_contact(partner_user, first, first.version_id, occurred_at=utcnow() - timedelta(hours=1),
                            method="phone", notes="Moved: it was later in the day.")
    assert _shown(case_manager) == [first.id, second.id]


def test_another_agencys_entries_never_show_and_a_deleted_client_takes_its_entries(
        agency, case_manager, partner_user):
    """A case manager moved to another agency keeps no view of the old one's contacts; a deleted client's
    entries go with it."""
    client = sf.client(agency)
    sf.care_team(client, case_manager)
    contact = sf.contact(client, partner_user)
    assert _shown(case_manager) == [contact.id]
    case_manager.organization = factories.agency()
    db.session.flush()
    assert _shown(case_manager) == [] and review_queries.needs_review_count(case_manager) == 0

    db.session.delete(client)
    db.session.flush()
    db.session.expire_all()
    assert _entries() == set()


def test_the_kept_entries_are_what_a_rebuild_makes(agency, case_manager, partner_user):
    """After contacts, reviews and care-team changes in any order, the entries equal those a rebuild from the
    contacts and care teams makes (the bulk loaders' repair: `rebuild_review_waiting`)."""
    colleague = factories.user(agency, role="case_manager")
    clients = [sf.client(agency) for _ in range(3)]
    sf.care_team(clients[0], case_manager)
    contacts = [sf.contact(c, partner_user, occurred_at=utcnow() - timedelta(minutes=n))
                for n, c in enumerate(clients * 2)]
    sf.care_team(clients[1], case_manager)
    leaving = sf.care_team(clients[1], colleague)
    sf.care_team(clients[2], colleague)
    services.mark_contact_reviewed(case_manager, contacts[1])
    db.session.delete(leaving)
    sf.contact(clients[1], partner_user)
    db.session.flush()

    kept, rebuilt = _as_rebuilt()
    # Waiting: the first client's two for the case manager, the second's newest two for them (its colleague
    # left), the third's two for the colleague; the reviewed one for nobody.
    assert kept == rebuilt and len(kept) == 6


def test_after_a_bulk_load_the_command_makes_the_entries_again(app, agency, case_manager, partner_user):
    """A bulk INSERT bypasses the events; `flask needs-review-rebuild` puts the contacts on the home."""
    from sqlalchemy import insert

    from portal_app.sharing.models import Contact, ContactSource

    client = sf.client(agency)
    sf.care_team(client, case_manager)
    db.session.execute(insert(Contact), [{"client_id": client.id, "author_id": partner_user.id,
                                          "organization_id": partner_user.organization_id, "method": "phone",
                                          "occurred_at": utcnow(), "source": ContactSource.THIRD_PARTY}])
    db.session.commit()
    assert _shown(case_manager) == []

    result = app.test_cli_runner().invoke(args=["needs-review-rebuild"])
    assert result.exit_code == 0 and "Needs Review entries of case managers: 1." in result.output
    assert len(_shown(case_manager)) == 1
