"""Reads of conversations scoped to a staff member: the inbox, one conversation, its messages, mass sends.

Case managers see conversations of clients on their care team and those they took part in;
supervisors and administrators see their agency's. Each page is a fixed number of queries (P3).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from ..accounts.models import Role, User
from ..clients.models import CareTeamMember, Client
from ..errors import NotFound
from ..extensions import db
from ..portal_access.models import ClientAccess
from .models import Conversation, MassSend, Message, ReadState

PER_PAGE = 25
MAX_PER_PAGE = 100
MASS_PICK_LIMIT = 500  # clients listed on the mass-send page; narrow with the name filter


@dataclass(frozen=True)
class InboxRow:
    """One line of the inbox."""

    conversation: Conversation
    last_message_at: datetime
    last_from_portal: bool
    unread: bool

    @property
    def client_name(self) -> str:
        return self.conversation.client.display_name


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class ConversationNotFound(NotFound):
    """A conversation or mass send outside the staff member's scope (another agency's is not revealed)."""


def caseload(actor: User):
    """Ids of the clients on the actor's care teams (a subquery)."""
    return select(CareTeamMember.client_id).where(CareTeamMember.user_id == actor.id)


def _scope(actor: User) -> list:
    """Conditions on Conversation (joined with Client) that keep the actor's conversations only."""
    conditions = [Client.organization_id == actor.organization_id]
    if actor.role == Role.CASE_MANAGER:
        took_part = exists(select(Message.id).where(Message.conversation_id == Conversation.id,
                                                    Message.sender_staff_id == actor.id))
        conditions.append(or_(Conversation.client_id.in_(caseload(actor)), Conversation.staff_id == actor.id,
                              took_part))
    return conditions


def _last_message():
    """The last message of each conversation, joined through a correlated max(id) (index on conversation_id, id)."""
    last = aliased(Message)
    last_id = (select(func.max(Message.id)).where(Message.conversation_id == Conversation.id)
               .correlate(Conversation).scalar_subquery())
    return last, last.id == last_id


def _unread(actor: User, last):
    """1 when the actor has not read the conversation's last message, else 0 (outer join on ReadState)."""
    state = aliased(ReadState)
    on = and_(state.conversation_id == Conversation.id, state.reader_kind == "staff", state.reader_id == actor.id)
    return state, on, case((func.coalesce(state.last_read_message_id, 0) < last.id, 1), else_=0)


def staff_inbox(actor: User, unread_first: bool = True, page: int = 1, per_page: int = PER_PAGE) -> InboxPage:
    """The actor's conversations: unread first, then the most recent; two queries whatever their number."""
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    page = max(page, 1)
    last, last_on = _last_message()
    state, state_on, unread = _unread(actor, last)
    order = [unread.desc()] if unread_first else []
    stmt = (
        select(Conversation, last.created_at, last.sender_account_id, unread)
        .join(Client, Client.id == Conversation.client_id)
        .join(last, last_on)
        .outerjoin(state, state_on)
        .where(*_scope(actor))
        .options(contains_eager(Conversation.client))
        .order_by(*order, last.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    )
    rows = [InboxRow(conv, at, sender is not None, bool(flag)) for conv, at, sender, flag in db.session.execute(stmt)]
    total = db.session.scalar(select(func.count(Conversation.id)).join(Client, Client.id == Conversation.client_id)
                              .where(*_scope(actor)))
    return InboxPage(rows, page, per_page, total or 0)


def unread_count(actor: User) -> int:
    """How many of the actor's conversations have a message they have not read (the nav badge)."""
    last, last_on = _last_message()
    state, state_on, unread = _unread(actor, last)
    stmt = (
        select(func.count(Conversation.id))
        .join(Client, Client.id == Conversation.client_id)
        .join(last, last_on)
        .outerjoin(state, state_on)
        .where(*_scope(actor), unread == 1)
    )
    return db.session.scalar(stmt) or 0


def staff_conversation(actor: User, conversation_id: int) -> Conversation:
    """One conversation in the actor's scope, with its client; 404 otherwise (its existence is not revealed)."""
    conversation = db.session.scalar(
        select(Conversation).join(Client, Client.id == Conversation.client_id)
        .where(Conversation.id == conversation_id, *_scope(actor))
        .options(contains_eager(Conversation.client), joinedload(Conversation.staff))
    )
    if conversation is None:
        raise ConversationNotFound
    return conversation


get_conversation_for = staff_conversation  # the domain's loader under the project-wide name


def conversation_messages(conversation: Conversation) -> list[Message]:
    """Every message, oldest first, with its sender (staff member or portal account) loaded."""
    return list(db.session.scalars(
        select(Message).where(Message.conversation_id == conversation.id)
        .options(joinedload(Message.sender_staff), joinedload(Message.sender_account))
        .order_by(Message.id)
    ))


def relationship_labels(client: Client) -> dict[int, str]:
    """account id -> how it acts for the client ("self", "mother" ...), revoked accesses included (older messages)."""
    labels: dict[int, str] = {}
    for access in db.session.scalars(select(ClientAccess).where(ClientAccess.client_id == client.id)
                                     .order_by(ClientAccess.revoked_at.is_(None), ClientAccess.id)):
        labels[access.account_id] = access.label  # active accesses come last, so they win
    return labels


def mass_send_candidates(actor: User, name: str = "", portal_only: bool = False) -> list[tuple[Client, bool]]:
    """(client, has portal access) for the mass-send list: the caseload (case managers) or the agency."""
    has_access = exists(select(ClientAccess.id).where(ClientAccess.client_id == Client.id,
                                                      ClientAccess.revoked_at.is_(None)))
    stmt = select(Client, has_access).where(Client.organization_id == actor.organization_id)
    if actor.role == Role.CASE_MANAGER:
        stmt = stmt.where(Client.id.in_(caseload(actor)))
    for term in name.split()[:8]:
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(Client.first_name.ilike(pattern, escape="\\"),
                              Client.last_name.ilike(pattern, escape="\\")))
    if portal_only:
        stmt = stmt.where(has_access)
    stmt = stmt.order_by(func.lower(Client.last_name), func.lower(Client.first_name), Client.id).limit(MASS_PICK_LIMIT)
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
