"""How to find a case manager's newest conversations: the way that reads fewer rows (P6).

The Inbox's page and the staff home's unread panel want the newest few of a case manager's conversations
(caseload, assigned to them, taken part in). Two ways find them, and which one reads fewer rows depends
on the case manager's share of the agency:

* **walk** the agency's conversations newest first and keep theirs: about
  `wanted x the agency's conversations / theirs` rows. Short for a big caseload (1,300 rows for the
  benchmark's 1,500 clients); for 30 clients of a 10,000-client agency it read all 40,000 conversations
  (the unread panel: 190 ms on PostgreSQL);
* **list theirs first**: their conversation ids, then those rows by primary key, sorted. It reads their
  conversations however big the agency is: cheap for a small caseload (the same panel: 24 ms), dear for
  a big one (for 1,500 clients, 60-170 ms against the walk's 8-20).

Both give the same rows. The databases cannot choose between them (their estimate of a caseload's
conversations is a default), so one statement chooses: listing costs about OWN_ROW_COST walked rows per
conversation of theirs (`own`), the walk `wanted x conversations / own`, so listing wins while
`own^2 x OWN_ROW_COST < wanted x conversations`. `own` is estimated from index counts of the caseload and
of the conversations assigned to them (each stopping at MAX_OWN); the deployment's size is `max(id)` of
clients and conversations (an estimate that costs one index probe). When listing wins, the same
statement returns the ids, after a sentinel 0; when the walk wins, it returns no row. Either way a case
manager's page runs exactly one statement more, whatever the data (P3).
"""
from __future__ import annotations

from functools import cache

from sqlalchemy import ARRAY, Float, Integer, any_, bindparam, case, cast, func, literal, select, union_all

from ..accounts.models import Role, User
from ..clients.models import CareTeamMember, Client
from ..extensions import db
from .models import Conversation, ReadState

OWN_ROW_COST = 2.5  # a conversation listed by id costs about this many walked rows (measured at 10k)
MAX_OWN = 2_000  # beyond this many conversations of their own, listing them never wins at any size we serve


def _capped_count(column, value):
    """How many index entries `column == value` has, counting at most MAX_OWN + 1."""
    rows = select(column).where(column == value).limit(MAX_OWN + 1).subquery()
    return select(func.count()).select_from(rows).scalar_subquery()


def _listing_wins(actor_id, wanted):
    """Whether listing the case manager's conversations is cheaper: one row (`wins`) of a common table
    expression, which both databases compute once however often it is used. Each count runs once: the
    derived tables carry LIMIT 1, so neither database copies their columns' subqueries into the
    expressions that use them."""
    conversations = cast(select(func.max(Conversation.id)).scalar_subquery(), Float)
    clients = cast(select(func.max(Client.id)).scalar_subquery(), Float)
    sizes = select((_capped_count(CareTeamMember.user_id, actor_id) * conversations / clients).label("caseload"),
                   (wanted * conversations / OWN_ROW_COST).label("budget")).limit(1).subquery()
    # The caseload alone may already make listing dearer: the assigned ones are then not counted.
    own = select(sizes.c.budget, case(
        (sizes.c.caseload * sizes.c.caseload >= sizes.c.budget, None),
        else_=sizes.c.caseload + _capped_count(Conversation.staff_id, actor_id)).label("own")).limit(1).subquery()
    return select(func.coalesce(own.c.own * own.c.own < own.c.budget, False).label("wins")).cte("own_plan")


@cache
def _own_statement(dialect: str):
    """The sentinel 0 and the case manager's conversation ids when listing them is cheaper, else no row
    (bound: actor_id, wanted). Built once per process for each database: each part of the union is skipped
    before it reads a row when the plan says walk, in the way each database does that."""
    actor_id, wanted = bindparam("actor_id", type_=Integer), bindparam("wanted", type_=Integer)
    plan = _listing_wins(actor_id, wanted)
    took_part = (ReadState.reader_kind == "staff", ReadState.reader_id == actor_id, ReadState.took_part.is_(True))
    if dialect == "postgresql":  # a one-time filter on each part. The caseload is one array probed in the
        # client index: as a join, the planner (guessing the caseload's size) read every conversation
        wins = select(plan.c.wins).scalar_subquery()
        caseload = select(func.array_agg(CareTeamMember.client_id)).where(CareTeamMember.user_id == actor_id)
        parts = [
            select(literal(0, Integer).label("id")).where(wins),
            select(Conversation.id).where(Conversation.staff_id == actor_id, wins),
            select(Conversation.id).where(
                Conversation.client_id == any_(cast(caseload.scalar_subquery(), ARRAY(Integer))), wins),
            select(ReadState.conversation_id).where(*took_part, wins),
        ]
    else:  # SQLite checks a subquery row by row: the plan's one row is joined first instead, and its
        # condition is checked once, in the outer loop (the caseload: the client list comes out empty)
        caseload = select(CareTeamMember.client_id).join_from(plan, CareTeamMember, plan.c.wins).where(
            CareTeamMember.user_id == actor_id)
        parts = [
            select(literal(0, Integer).label("id")).select_from(plan).where(plan.c.wins),
            select(Conversation.id).join_from(plan, Conversation, plan.c.wins).where(Conversation.staff_id == actor_id),
            select(Conversation.id).where(Conversation.client_id.in_(caseload)),
            select(ReadState.conversation_id).join_from(plan, ReadState, plan.c.wins).where(*took_part),
        ]
    rows = union_all(*parts).subquery()
    return select(rows.c.id).limit(MAX_OWN + 2)


def own_conversation_ids(actor: User, wanted: int) -> list[int] | None:
    """The case manager's conversation ids when listing them first reads fewer rows than walking the
    agency's newest first to find `wanted` of them; None when the walk is cheaper (and, with no statement,
    for supervisors and administrators: every conversation of their agency is theirs)."""
    if actor.role != Role.CASE_MANAGER:
        return None
    statement = _own_statement(db.session.get_bind().dialect.name)
    rows = db.session.scalars(statement, {"actor_id": actor.id, "wanted": wanted}).all()
    if not rows or len(rows) > MAX_OWN + 1:  # the walk wins, or they have more than the estimate said
        return None
    return sorted({row for row in rows if row})
