"""What waits for a staff member on their home ("unread from clients"): kept with each message and read (P6)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.extensions import db
from portal_app.messaging import portal_services, queries, services, unread
from portal_app.messaging.models import AwaitingStaff
from tests import factories
from tests.messaging.helpers import allow_messaging, family
sf = factories
from tests.sql import count_statements


def waiting(user) -> set[int]:
    return set(db.session.scalars(select(AwaitingStaff.conversation_id).where(AwaitingStaff.user_id == user.id)))


def panel(user) -> list[int]:
    return [row.conversation.id for row in queries.unread_from_portal(user)]


@pytest.fixture
def world(agency, supervisor, case_manager):
    allow_messaging(supervisor, case_manager)
    client, own, mother = family(agency, case_manager)
    outsider = factories.user(agency, role="case_manager", email="other@agency.test")
    stranger = factories.user(factories.agency(name="Elsewhere"), role="supervisor", email="sup@elsewhere.test")
    allow_messaging(outsider, stranger)
    for user in (supervisor, case_manager, outsider, stranger):
        unread.recount(unread.STAFF, user.id)
    return {"client": client, "own": own, "mother": mother, "cm": case_manager, "sup": supervisor,
            "outsider": outsider, "stranger": stranger}


def test_a_client_message_waits_for_each_staff_member_in_scope_until_they_read_it(world):
    w = world
    conv = portal_services.start_conversation_from_portal(w["own"], w["cm"].id, "Rent", "Can we talk?")
    assert waiting(w["cm"]) == waiting(w["sup"]) == {conv.id}
    assert waiting(w["outsider"]) == waiting(w["stranger"]) == set()  # not on the care team; another agency
    assert panel(w["cm"]) == panel(w["sup"]) == [conv.id] and panel(w["outsider"]) == []

    services.mark_read_by_staff(w["sup"], conv)
    assert waiting(w["sup"]) == set() and panel(w["sup"]) == []
    assert panel(w["cm"]) == [conv.id], "one reader's reading leaves it waiting for the others"

    portal_services.reply_as_portal(w["mother"], conv, "Me too")
    assert panel(w["sup"]) == [conv.id], "a new message from the portal waits again"
    services.reply_as_staff(w["cm"], conv, "<p>Call me at 3.</p>")
    assert waiting(w["cm"]) == waiting(w["sup"]) == set()
    assert panel(w["cm"]) == panel(w["sup"]) == [], "answered: the last message is the agency's"


def test_the_panel_is_newest_first_and_skips_a_row_a_race_left_behind(world):
    w = world
    first = portal_services.start_conversation_from_portal(w["own"], w["cm"].id, "First", "a")
    second = portal_services.start_conversation_from_portal(w["mother"], w["cm"].id, "Second", "b")
    answered = services.start_conversation(w["cm"], w["client"], subject="Ours", body_html="<p>c</p>",
                                           account_ids=None)
    portal_services.reply_as_portal(w["own"], first, "again")  # now the newest
    assert panel(w["cm"]) == [first.id, second.id]
    # A row whose conversation the agency answered meanwhile (what a lost race could leave): never shown.
    db.session.add(AwaitingStaff(user_id=w["cm"].id, conversation_id=answered.id,
                                 last_message_at=answered.last_message_at))
    db.session.flush()
    assert panel(w["cm"]) == [first.id, second.id]


def test_after_a_change_of_who_sees_what_the_next_read_finds_what_waits(world, agency):
    """A case manager added to the care team later: the home looks the slow way until their count is learnt
    again, then their rows hold the client's messages sent before they joined."""
    w = world
    before = portal_services.start_conversation_from_portal(w["own"], w["cm"].id, "Before", "hello")
    other_client, bea, _ = family(agency, w["outsider"], first_name="Bea")
    theirs = portal_services.start_conversation_from_portal(bea, w["outsider"].id, "Bea", "x")
    sf.care_team(w["client"], w["outsider"])  # now sees Odalys's conversations too
    db.session.flush()
    assert unread.known(unread.STAFF, w["outsider"].id) is None
    assert panel(w["outsider"]) == [theirs.id, before.id], "found the slow way meanwhile"
    services.mark_read_by_staff(w["outsider"], theirs)  # counted again: the rows are rebuilt
    assert unread.known(unread.STAFF, w["outsider"].id) is not None
    assert waiting(w["outsider"]) == {before.id} and panel(w["outsider"]) == [before.id]


def test_the_panel_reads_the_rows_in_a_fixed_number_of_statements(world):
    w = world
    for n in (2, 12):
        while len(waiting(w["cm"])) < n:
            portal_services.start_conversation_from_portal(w["own"], w["cm"].id, "Q", "?")
        with count_statements() as statements:
            rows = queries.unread_from_portal(w["cm"], per_page=10)
        assert len(rows) == min(n, 10) and rows.has_next == (n > 10)
        panel_statements = [s for s in statements if "FROM user_account" not in s]  # the request has the actor
        assert len(panel_statements) == 2 and "FROM awaiting_staff" in panel_statements[1], statements
