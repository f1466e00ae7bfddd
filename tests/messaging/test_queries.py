"""Inbox scope (caseload and participation; agency for supervisors), latest activity first, one conversation's reads."""
from __future__ import annotations

import pytest

from portal_app.errors import NotFound
from portal_app.messaging import core, queries, services
from portal_app.messaging.models import Conversation
from tests import factories
from tests.messaging.helpers import allow_messaging, family


@pytest.fixture
def world(people):
    """Three conversations of one agency: on the case manager's caseload, one she answered, one elsewhere."""
    cm, sup, admin = people["case_manager"], people["supervisor"], people["admin"]
    allow_messaging(cm, sup, admin)
    mine, mine_self, _ = family(cm.organization, care_team_member=cm, first_name="Mine")
    answered, _, _ = family(cm.organization, first_name="Answered")
    elsewhere, _, _ = family(cm.organization, first_name="Elsewhere")
    c_mine = services.start_conversation(admin, mine, subject="Mine", body_html="<p>a</p>", account_ids=None)
    c_answered = services.start_conversation(sup, answered, subject="Answered", body_html="<p>b</p>", account_ids=None)
    services.reply_as_staff(cm, c_answered, "<p>me too</p>")
    c_else = services.start_conversation(sup, elsewhere, subject="Elsewhere", body_html="<p>c</p>", account_ids=None)
    foreign_agency = factories.agency()
    foreign_staff = factories.user(foreign_agency, role="supervisor", perm_messaging=True)
    foreign, _, _ = family(foreign_agency, first_name="Foreign")
    c_foreign = services.start_conversation(foreign_staff, foreign, subject="Foreign", body_html="<p>d</p>",
                                            account_ids=None)
    return {"cm": cm, "sup": sup, "mine": c_mine, "answered": c_answered, "else": c_else, "foreign": c_foreign,
            "mine_self": mine_self}


def subjects(actor) -> set[str]:
    return {row.conversation.subject for row in queries.staff_inbox(actor).items}


def test_case_manager_sees_caseload_and_conversations_she_took_part_in(world):
    assert subjects(world["cm"]) == {"Mine", "Answered"}
    assert len(queries.staff_inbox(world["cm"]).items) == 2


def test_supervisor_sees_the_agency(world):
    assert subjects(world["sup"]) == {"Mine", "Answered", "Elsewhere"}


def test_outside_scope_is_404(world):
    with pytest.raises(NotFound):
        queries.staff_conversation(world["cm"], world["else"].id)
    with pytest.raises(NotFound):
        queries.staff_conversation(world["sup"], world["foreign"].id)
    assert queries.staff_conversation(world["cm"], world["mine"].id).id == world["mine"].id


def test_latest_activity_first_with_unread_counts_portal_label_and_marking_read(world):
    cm, mine = world["cm"], world["mine"]
    core.append_message(mine, "<p>from the portal</p>", account=world["mine_self"].account)
    core.append_message(mine, "<p>and again</p>", account=world["mine_self"].account)
    rows = queries.staff_inbox(cm).items
    assert [(r.conversation.subject, r.unread, r.last_from_portal) for r in rows] == [
        ("Mine", 3, True), ("Answered", 0, False)]  # the admin's first message and two from the portal
    assert rows[0].client_name.startswith("Mine")
    assert queries.unread_count(cm) == 1
    services.mark_read_by_staff(cm, mine)
    assert queries.unread_count(cm) == 0
    assert [r.unread for r in queries.staff_inbox(cm).items] == [0, 0]


def test_messages_come_oldest_first_with_the_senders_named(world):
    conv: Conversation = world["answered"]
    assert [m.body_html for m in queries.conversation_messages(conv)] == ["<p>b</p>", "<p>me too</p>"]
    assert queries.conversation_messages(conv).earlier is None
    name = conv.client.display_name
    senders = queries.portal_senders(conv.client)  # accounts without a name read by their relationship
    assert sorted(senders.values()) == sorted([f"Mother of {name}", f"{name} (the client)"])


def test_mass_send_candidates_filter_by_name_and_portal_access(world, people):
    from tests import factories as sf

    cm = world["cm"]
    lonely = sf.client(cm.organization, first_name="Lonely")
    sf.care_team(lonely, cm)
    names = {c.first_name: has for c, has in queries.mass_send_candidates(cm)}
    assert names == {"Mine": True, "Lonely": False}
    assert [c.first_name for c, _ in queries.mass_send_candidates(cm, portal_only=True)] == ["Mine"]
    assert [c.first_name for c, _ in queries.mass_send_candidates(cm, name="lone")] == ["Lonely"]
    assert len(queries.mass_send_candidates(world["sup"])) == 4


def test_unread_counts_stop_past_99_and_follow_the_read_marker(world):
    """Each row counts its own unread messages, at most UNREAD_CAP + 1 (shown "99+"), after what the reader read."""
    cm, mine = world["cm"], world["mine"]
    account = world["mine_self"].account
    services.mark_read_by_staff(cm, mine)
    for n in range(queries.UNREAD_CAP + 6):
        core.append_message(mine, f"<p>{n}</p>", account=account)
    inbox = {r.conversation.subject: r.unread for r in queries.staff_inbox(cm).items}
    panel = {r.conversation.subject: r.unread for r in queries.unread_from_portal(cm).items}
    assert inbox == {"Mine": queries.UNREAD_CAP + 1, "Answered": 0} and panel == {"Mine": queries.UNREAD_CAP + 1}
    services.mark_read_by_staff(cm, mine)
    for n in range(3):
        core.append_message(mine, f"<p>more {n}</p>", account=account)
    assert [(r.conversation.subject, r.unread) for r in queries.staff_inbox(cm).items][0] == ("Mine", 3)
    assert [r.unread for r in queries.unread_from_portal(cm).items] == [3]
