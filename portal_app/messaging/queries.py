"""Reads of conversations scoped to a staff member: the inbox, one conversation, its messages, mass sends.

Case managers see conversations of clients on their care team and those they took part in;
supervisors and administrators see their agency's. Each page is a fixed number of queries (P3).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, literal, or_, select, union
from sqlalchemy.orm import aliased, contains_eager, joinedload

from ..accounts.models import Role, User
from ..clients.models import CareTeamMember, Client
from ..clients.queries import name_conditions
from ..db_types import checked_per_row
from ..errors import NotFound
from ..extensions import db
from ..paging import PER_PAGE, Page, clamp_page, fetch_page
from ..portal_access.models import ClientAccess, PortalAccount
from ..portal_access.naming import portal_person
from ..statements import BoundStaff, is_case_manager, staff_params
from . import unread
from .models import AwaitingStaff, Conversation, MassSend, Message, ReadState
from .paging import MessagePage, message_page
from .policy import inbox_items_only
from .scope_plan import own_conversation_ids

MASS_PICK_LIMIT = 500  # clients listed on the mass-send page; narrow with the name filter


UNREAD_CAP = 99  # the badge says "99+" beyond this; counting further costs as much as listing


@dataclass(frozen=True)
class InboxRow:
    """One line of the inbox."""

    conversation: Conversation
    last_message_at: datetime
    last_from_portal: bool
    unread: int  # messages the actor has not read (0: read), at most UNREAD_CAP + 1

    @property
    def client_name(self) -> str:
        return self.conversation.client.display_name


class ConversationNotFound(NotFound):
    """A conversation or mass send outside the staff member's scope (another agency's is not revealed)."""


def caseload(actor: User):
    """Ids of the clients on the actor's care teams (a subquery)."""
    return select(CareTeamMember.client_id).where(CareTeamMember.user_id == actor.id)


# The actor's own ReadState, outer-joined: one alias made once (building an alias per request cost ~0.5 ms).
_STATE = aliased(ReadState, name="own_state")
_LAST = aliased(Message, name="last_message")


def _in_agency(actor: User):
    """The conversation's client is of the actor's agency, checked per row on SQLite: the planner then walks
    the conversations newest first and stops at the page, not at every client of the agency (P6)."""
    return checked_per_row(Client.organization_id) == actor.organization_id


def _scoped(stmt, actor: User, items_only: bool = False, own_first: bool = False):
    """`stmt` on Conversation joined with its Client and outer-joined with the actor's ReadState, kept to the
    actor's conversations (`items_only`: the PORTAL Inbox items addressed to them, for staff without Messaging);
    returns (statement, the ReadState alias). `own_first`: a case manager's conversations are the ids bound
    as `own_ids` (scope_plan.py), not checked row by row."""
    state = _STATE
    stmt = (stmt.join(Client, Client.id == Conversation.client_id)
            .outerjoin(state, and_(state.conversation_id == Conversation.id, state.reader_kind == "staff",
                                   state.reader_id == actor.id))
            .where(_in_agency(actor)))
    if items_only:
        stmt = stmt.where(Conversation.staff_id == actor.id, Conversation.item_kind != "")
    elif actor.role == Role.CASE_MANAGER and own_first:
        stmt = stmt.where(Conversation.id.in_(bindparam("own_ids", expanding=True)))
    elif actor.role == Role.CASE_MANAGER:
        on_caseload = exists(select(CareTeamMember.id).where(CareTeamMember.client_id == Conversation.client_id,
                                                             CareTeamMember.user_id == actor.id))
        # "Took part" is a flag on the actor's own ReadState (set when they send): no scan of their messages.
        # Asked as a set of ids (one range of its partial index, hashed once), not of the outer-joined row:
        # the walk then joins the actor's ReadState only to the rows it keeps (27 of 94 for the benchmark's
        # case manager at 10k), not to every conversation it passes.
        took_part = select(ReadState.conversation_id).where(ReadState.reader_kind == "staff",
                                                            ReadState.reader_id == actor.id,
                                                            ReadState.took_part.is_(True))
        stmt = stmt.where(or_(on_caseload, Conversation.staff_id == actor.id, Conversation.id.in_(took_part)))
    return stmt, state


def _bound(actor: User, own_ids: list[int] | None) -> dict:
    """The bound values of a statement built once per process: the actor, and their conversation ids when
    the plan lists them first."""
    params = staff_params(actor)
    return params if own_ids is None else {**params, "own_ids": own_ids}


def _has_unread(state):
    """The conversation's last message is newer than what the reader has read."""
    return Conversation.last_message_id > func.coalesce(state.last_read_message_id, 0)


def _last_sender():
    """A column: the portal account that sent the row's conversation's last message (None: staff sent it), as
    a scalar subquery. PostgreSQL plans it apart and runs it for the rows kept only; as one more joined table
    of a list's statement it made the planner's search for a join order twice as long (the staff home's
    unread panel at 10k: 0.65 -> 0.36 ms of planning, for 0.15 ms of execution)."""
    return (select(_LAST.sender_account_id).where(_LAST.id == Conversation.last_message_id)
            .correlate(Conversation).scalar_subquery())


def _unread_after(state):
    """A column: how many of the row's conversation's messages are newer than what the reader has read, at most
    UNREAD_CAP + 1. Each row shown counts its own range of the (conversation_id, id) index, in the statement
    of the list itself: a separate count of the page's conversations, built per request from their read
    markers, cost the staff home 0.6 ms of CPU."""
    newer = (select(literal(1)).where(Message.conversation_id == Conversation.id,
                                      Message.id > func.coalesce(state.last_read_message_id, 0))
             .limit(UNREAD_CAP + 1).correlate(Conversation, state).subquery())
    return select(func.count()).select_from(newer).scalar_subquery()


@cache
def _inbox_statement(case_manager: bool, items_only: bool = False, own_first: bool = False):
    """The Inbox's rows, built once per process for each kind of role, scope and plan (bound per request)."""
    stmt, state = _scoped(select(Conversation), BoundStaff(case_manager), items_only, own_first)
    return (
        stmt.add_columns(_last_sender(), _unread_after(state))
        .options(contains_eager(Conversation.client))
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
    )


def staff_inbox(actor: User, page: Any = 1, per_page: int = PER_PAGE) -> Page[InboxRow]:
    """The actor's conversations (without Messaging: their PORTAL items), latest activity first, with how many
    messages each has unread (one query; for a case manager, a second chooses the plan, scope_plan.py)."""
    items_only = inbox_items_only(actor)
    own_ids = None if items_only else own_conversation_ids(actor, clamp_page(page) * per_page + 1)
    result = fetch_page(_inbox_statement(is_case_manager(actor), items_only, own_ids is not None), page, per_page,
                        scalars=False, params=_bound(actor, own_ids))
    result.items = [InboxRow(conv, conv.last_message_at, sender is not None, unread)
                    for conv, sender, unread in result.items]
    return result


def _case_manager_conversation_ids(actor: User):
    """Ids of a case manager's conversations: on their caseload, assigned to them, or taken part in (a union of
    three index lookups, so the cost follows their own conversations, not the agency's)."""
    on_caseload = (select(Conversation.id).join(CareTeamMember, CareTeamMember.client_id == Conversation.client_id)
                   .where(CareTeamMember.user_id == actor.id))
    assigned = select(Conversation.id).where(Conversation.staff_id == actor.id)
    took_part = select(ReadState.conversation_id).where(ReadState.reader_kind == "staff",
                                                         ReadState.reader_id == actor.id, ReadState.took_part.is_(True))
    return union(on_caseload, assigned, took_part)


def unread_count(actor: User) -> int:
    """How many of the actor's conversations have a message they have not read (the nav badge): the counter
    kept with every message and mark-read (one primary-key lookup); counted the exact way while not known."""
    if inbox_items_only(actor):  # the kept counter covers the Messaging scope; their items are few: counted
        stmt, state = _scoped(select(Conversation.id), actor, items_only=True)
        rows = stmt.where(_has_unread(state)).limit(UNREAD_CAP + 1).subquery()
        return db.session.scalar(select(func.count()).select_from(rows)) or 0
    kept = unread.known(unread.STAFF, actor.id)
    return kept if kept is not None else exact_unread_count(actor, limit=UNREAD_CAP + 1)


def exact_unread_count(actor: User, limit: int | None = None) -> int:
    """The badge counted over the actor's conversations (at most `limit`): its cost follows their conversations."""
    stmt, state = _unread_scope(actor)
    unread_rows = stmt.where(_has_unread(state)).limit(limit).subquery()
    return db.session.scalar(select(func.count()).select_from(unread_rows)) or 0


def awaiting_rows(actor: User):
    """(actor id, conversation id, last message time) of the actor's conversations waiting for them: the last
    message came from the portal and they have not read it (unread.py rebuilds their AwaitingStaff rows)."""
    stmt, state = _unread_scope(actor)
    last = _LAST
    return (stmt.with_only_columns(literal(actor.id), Conversation.id, Conversation.last_message_at)
            .join(last, last.id == Conversation.last_message_id)
            .where(_has_unread(state), last.sender_account_id.is_not(None)))


def _unread_scope(actor: User):
    """SELECT Conversation.id over every conversation of the actor, outer-joined with their ReadState (returned
    beside it): what the exact badge count and the AwaitingStaff rows are found from."""
    if actor.role == Role.CASE_MANAGER and db.session.get_bind().dialect.name == "sqlite":
        # SQLite runs the OR of the scope row by row over the agency's conversations (182 ms at 10k); the
        # union of the case manager's own ones costs ~14 ms. PostgreSQL hashes the OR form faster (measured).
        state = _STATE
        stmt = (select(Conversation.id)
                .outerjoin(state, and_(state.conversation_id == Conversation.id, state.reader_kind == "staff",
                                       state.reader_id == actor.id))
                .join(Client, Client.id == Conversation.client_id)
                .where(Conversation.id.in_(_case_manager_conversation_ids(actor)),
                       Client.organization_id == actor.organization_id))
    else:
        stmt, state = _scoped(select(Conversation.id), actor)
    return stmt, state


@cache
def _conversation_statement(case_manager: bool, items_only: bool):
    """One conversation in scope with its client and its staff member's name, built once per process for each
    kind of role and scope (bound per request: building it cost a conversation page 0.3 ms of CPU)."""
    stmt, _ = _scoped(select(Conversation), BoundStaff(case_manager), items_only)
    return (stmt.where(Conversation.id == bindparam("conversation_id"))
            .options(contains_eager(Conversation.client),
                     joinedload(Conversation.staff).load_only(User.first_name, User.last_name)))


def staff_conversation(actor: User, conversation_id: int) -> Conversation:
    """One conversation in the actor's scope (without Messaging: one of their PORTAL items), with its client;
    404 otherwise (its existence is not revealed)."""
    conversation = db.session.scalar(_conversation_statement(is_case_manager(actor), inbox_items_only(actor)),
                                     {**staff_params(actor), "conversation_id": conversation_id})
    if conversation is None:
        raise ConversationNotFound
    return conversation


get_conversation_for = staff_conversation  # the domain's loader under the project-wide name


def conversation_messages(conversation: Conversation, before: int | None = None) -> MessagePage:
    """One page of messages (the newest, or those before `before`), oldest first, senders loaded (one query)."""
    return message_page(conversation, before)


def portal_senders(client: Client) -> dict[int, str]:
    """account id -> the person as staff read them ("Ana Delgado, mother of Sam Delgado"), from every access
    to the client, revoked ones included (older messages); one query."""
    senders: dict[int, str] = {}
    rows = db.session.execute(
        select(ClientAccess, PortalAccount.full_name).join(PortalAccount, PortalAccount.id == ClientAccess.account_id)
        .where(ClientAccess.client_id == client.id).order_by(ClientAccess.active, ClientAccess.id))
    for access, full_name in rows:  # active accesses come last, so they win
        senders[access.account_id] = portal_person(access.label, client.display_name, full_name)
    return senders


def mass_send_candidates(actor: User, name: str = "", portal_only: bool = False) -> list[tuple[Client, bool]]:
    """(client, has portal access) for the mass-send list: the caseload (case managers) or the agency."""
    has_access = exists(select(ClientAccess.id).where(ClientAccess.client_id == Client.id,
                                                      ClientAccess.active))
    stmt = select(Client, has_access).where(Client.organization_id == actor.organization_id)
    if actor.role == Role.CASE_MANAGER:
        stmt = stmt.where(Client.id.in_(caseload(actor)))
    stmt = stmt.where(*name_conditions(actor, name))  # the client search's matching: "nunez" finds Núñez
    if portal_only:
        stmt = stmt.where(has_access)
    stmt = stmt.order_by(Client.sort_name, Client.id).limit(MASS_PICK_LIMIT)
    return [(client, bool(flag)) for client, flag in db.session.execute(stmt)]


def staff_mass_send(actor: User, job_id: int) -> MassSend:
    """A mass send of the actor (case managers) or of their agency (supervisors, admins); 404 otherwise."""
    stmt = select(MassSend).join(User, User.id == MassSend.sender_id).where(
        MassSend.id == job_id, User.organization_id == actor.organization_id)
    if actor.role == Role.CASE_MANAGER:
        stmt = stmt.where(MassSend.sender_id == actor.id)
    job = db.session.scalar(stmt)
    if job is None:
        raise ConversationNotFound("Page not found.")
    return job


get_mass_send_for = staff_mass_send


def due_mass_send_ids() -> list[int]:
    """The unfinished mass sends, oldest first: what the worker's next pass runs a batch of."""
    return list(db.session.scalars(
        select(MassSend.id).where(MassSend.status.in_(("queued", "running"))).order_by(MassSend.id)))


UNREAD_WINDOW = 200  # the staff home looks among this many of the newest conversations; the Inbox has them all


@cache
def _unread_from_portal_statement(case_manager: bool, window_size: int, own_first: bool = False):
    """The staff home's unread panel, built once per process for each kind of role and plan (bound per
    request)."""
    actor = BoundStaff(case_manager)
    window_stmt, _ = _scoped(select(Conversation.id), actor, own_first=own_first)
    window = (window_stmt.order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
              .limit(window_size).scalar_subquery())
    state = _STATE
    return (
        select(Conversation, _unread_after(state))
        .join(Client, Client.id == Conversation.client_id)
        .outerjoin(state, and_(state.conversation_id == Conversation.id, state.reader_kind == "staff",
                               state.reader_id == actor.id))
        .where(Conversation.id.in_(window), _last_sender().is_not(None), _has_unread(state))
        .options(contains_eager(Conversation.client))
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
    )


@cache
def _awaiting_statement():
    """The staff home's unread panel from the actor's AwaitingStaff rows, newest first by their index. Each
    row is checked again (last message from the portal, unread, the agency's): a row a race left behind is
    skipped, never shown."""
    actor, state, waiting = BoundStaff(False), _STATE, AwaitingStaff
    return (
        select(Conversation, _unread_after(state))
        .select_from(waiting)
        .join(Conversation, Conversation.id == waiting.conversation_id)
        .join(Client, Client.id == Conversation.client_id)
        .outerjoin(state, and_(state.conversation_id == Conversation.id, state.reader_kind == "staff",
                               state.reader_id == actor.id))
        .where(waiting.user_id == actor.id, Client.organization_id == actor.organization_id,
               _last_sender().is_not(None), _has_unread(state))
        .options(contains_eager(Conversation.client))
        .order_by(waiting.last_message_at.desc(), waiting.conversation_id.desc())
    )


def unread_from_portal(actor: User, per_page: int = 10) -> Page[InboxRow]:
    """The actor's conversations whose last message came from the portal and is unread by them, newest first
    (the staff home's panel): their AwaitingStaff rows, kept with their unread counter, one index range
    whatever the agency's size (P6). While the counter is not known (a change of who sees what), among the
    UNREAD_WINDOW most recently active conversations, found the cheaper way for a case manager's caseload
    (scope_plan.py). Two statements, or three for a case manager while not known; each row counts its unread
    messages in the statement itself."""
    if unread.known(unread.STAFF, actor.id) is not None:
        result = fetch_page(_awaiting_statement(), 1, per_page, scalars=False, params=staff_params(actor))
    else:
        own_ids = own_conversation_ids(actor, UNREAD_WINDOW)
        stmt = _unread_from_portal_statement(is_case_manager(actor), UNREAD_WINDOW, own_ids is not None)
        result = fetch_page(stmt, 1, per_page, scalars=False, params=_bound(actor, own_ids))
    result.items = [InboxRow(conv, conv.last_message_at, True, unread) for conv, unread in result.items]
    return result
