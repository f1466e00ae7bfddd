"""A case manager's Inbox and the staff home's unread panel: found the way that reads fewer rows (listing a
small caseload's own conversations, walking the agency's newest first for a big one), the same rows either
way (P6)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, insert, or_, select

from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.messaging import core, queries, scope_plan, unread
from portal_app.clients.models import CareTeamMember, Client
from portal_app.messaging.models import Conversation, Message, ReadState
from portal_app.paging import fetch_page
from portal_app.statements import staff_params
from tests import factories
from tests.messaging.helpers import allow_messaging, family


def _from_the_portal(clients, staff, account_id: int, each: int) -> list[int]:
    """`each` conversations per client, assigned to `staff`, each one message from the portal (unread)."""
    start = utcnow() - timedelta(days=1)
    rows = [{"client_id": c.id, "staff_id": staff.id, "subject": f"{c.first_name} {i}", "audience_all": True,
             "created_at": start, "last_message_at": start + timedelta(seconds=n * each + i)}
            for n, c in enumerate(clients) for i in range(each)]
    ids = list(db.session.scalars(insert(Conversation).returning(Conversation.id), rows))
    db.session.execute(insert(Message), [
        {"conversation_id": cid, "body_html": "<p>Hello</p>", "created_at": row["last_message_at"],
         "sender_account_id": account_id} for cid, row in zip(ids, rows)])
    core.catch_up_last_messages(ids)
    return ids


@pytest.fixture
def agency(people):
    """41 clients with 5 conversations each from the portal, assigned to the supervisor: the case manager has
    one client (3 conversations, the oldest of all), a colleague the other 40."""
    cm, sup = people["case_manager"], people["supervisor"]
    colleague = factories.user(cm.organization, role="case_manager")
    allow_messaging(cm, sup, colleague)
    mine, own, _ = family(cm.organization, care_team_member=cm, first_name="Mine")
    mine_ids = _from_the_portal([mine], sup, own.account_id, 3)
    others = [factories.client(cm.organization, first_name=f"Other{n}") for n in range(40)]
    for other in others:
        factories.care_team(other, colleague)
    _from_the_portal(others, sup, own.account_id, 5)
    unread.recount_all()
    db.session.commit()
    return {"cm": cm, "sup": sup, "colleague": colleague, "mine": mine_ids}


def _theirs(actor) -> list[int]:
    """The case manager's conversations by their plain definition: assigned, on the caseload, taken part in."""
    caseload = select(CareTeamMember.client_id).where(CareTeamMember.user_id == actor.id)
    took_part = select(ReadState.conversation_id).where(ReadState.reader_kind == "staff",
                                                         ReadState.reader_id == actor.id, ReadState.took_part)
    return sorted(db.session.scalars(select(Conversation.id).where(or_(
        Conversation.staff_id == actor.id, Conversation.client_id.in_(caseload), Conversation.id.in_(took_part)))))


def _walked(actor, page: int = 1) -> list[int]:
    stmt = queries._inbox_statement(True, False, False)
    return [row[0].id for row in fetch_page(stmt, page, 25, scalars=False, params=staff_params(actor)).items]


def _listed(actor, page: int = 1) -> list[int]:
    stmt = queries._inbox_statement(True, False, True)
    params = {**staff_params(actor), "own_ids": _theirs(actor)}
    return [row[0].id for row in fetch_page(stmt, page, 25, scalars=False, params=params).items]


def _panel(actor, own_first: bool) -> list[int]:
    stmt = queries._unread_from_portal_statement(True, queries.UNREAD_WINDOW, own_first)
    params = {**staff_params(actor), "own_ids": _theirs(actor)} if own_first else staff_params(actor)
    return [row[0].id for row in fetch_page(stmt, 1, 10, scalars=False, params=params).items]


def _listing_threshold(actor) -> float:
    """The `wanted` beyond which listing wins, by the documented rule (own^2 x OWN_ROW_COST < wanted x
    conversations) from the same estimates. The deployment's size is max(id), which grows from test to test
    on PostgreSQL (sequences do not roll back): the threshold is computed, not assumed."""
    conversations = db.session.scalar(select(func.max(Conversation.id)))
    clients = db.session.scalar(select(func.max(Client.id)))
    caseload = db.session.scalar(select(func.count()).where(CareTeamMember.user_id == actor.id))
    assigned = db.session.scalar(select(func.count()).where(Conversation.staff_id == actor.id))
    own = caseload * conversations / clients + assigned
    return own * own * scope_plan.OWN_ROW_COST / conversations


def test_a_small_caseload_lists_its_own_conversations_and_a_big_one_walks(agency):
    assert scope_plan.own_conversation_ids(agency["cm"], 26) == sorted(agency["mine"])  # 3 of 203
    assert scope_plan.own_conversation_ids(agency["sup"], 26) is None  # the whole agency is theirs
    colleague = agency["colleague"]  # 200 of the 203: walking finds a few at once, listing suits a great many
    threshold = _listing_threshold(colleague)
    chosen = {}
    for wanted in sorted({0, 1, 26, 200, int(threshold), int(threshold) + 2, 10_000_000}):
        own = scope_plan.own_conversation_ids(colleague, wanted)
        assert (own is not None) == (wanted > threshold), (wanted, threshold)
        assert own is None or own == _theirs(colleague)
        chosen[wanted] = own is not None
    assert chosen[0] is False and chosen[int(threshold)] is False
    assert chosen[int(threshold) + 2] is True and chosen[10_000_000] is True


def test_the_inbox_and_the_unread_panel_show_the_same_rows_either_way(agency):
    cm, colleague = agency["cm"], agency["colleague"]
    newest_first = sorted(agency["mine"], reverse=True)
    assert [row.conversation.id for row in queries.staff_inbox(cm).items] == newest_first
    assert _walked(cm) == _listed(cm) == newest_first
    assert [row.conversation.id for row in queries.unread_from_portal(cm).items] == newest_first
    assert _panel(cm, False) == _panel(cm, True) == newest_first
    for page in (1, 2, 8, 9):  # 200 conversations: the eighth page is full, the ninth empty
        assert [row.conversation.id for row in queries.staff_inbox(colleague, page).items] \
            == _walked(colleague, page) == _listed(colleague, page)
    assert len(_walked(colleague, 8)) == 25 and _walked(colleague, 9) == []
    assert [row.conversation.id for row in queries.unread_from_portal(colleague).items] \
        == _panel(colleague, False) == _panel(colleague, True)
    assert len(_panel(colleague, False)) == 10


def test_a_conversation_taken_part_in_or_assigned_is_listed_too(agency):
    from portal_app.messaging import services

    cm, sup = agency["cm"], agency["sup"]
    elsewhere, _, _ = family(cm.organization, first_name="Elsewhere")
    assigned = services.start_conversation(sup, elsewhere, subject="Assigned", body_html="<p>a</p>", account_ids=None)
    assigned.staff_id = cm.id
    answered = services.start_conversation(sup, elsewhere, subject="Answered", body_html="<p>b</p>", account_ids=None)
    services.reply_as_staff(cm, answered, "<p>me too</p>")
    db.session.commit()
    own = scope_plan.own_conversation_ids(cm, 26)
    assert own is not None and {assigned.id, answered.id, *agency["mine"]} == set(own)
    assert [row.conversation.id for row in queries.staff_inbox(cm).items][:2] == [answered.id, assigned.id]
