"""Messaging as the portal sees it, the reads: the acted-for client's conversations, their messages, whom to write to.

Every function takes the `ClientAccess` being acted for (the view's `g.acting`). Who sees which
conversation is decided here, in SQL, and nowhere else:

* only conversations of the acted-for client;
* only those addressed to every account of the client (`audience_all`) or to this account
  (a `ConversationRecipient`);
* never one hidden from this representative (`HiddenItem` with item_type "conversation").

A conversation a client or representative starts is addressed to the starting account only
(`audience_all=False` plus one `ConversationRecipient`): a parent's note to the case manager is not
shown to the other parent, or to the client, unless staff later answer it to all accounts.

The changes (reading, replying, writing to the care team) are in `portal_services`.
"""
from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..clients.models import CareTeamMember
from ..extensions import db
from ..paging import PER_PAGE, Page, fetch_page
from ..portal_access.models import ClientAccess
from ..portal_access.policy import visible_to
from . import unread
from .models import ITEM_TYPE, Conversation, ConversationRecipient, ReadState
from .paging import MessagePage, message_page

READER = "portal"
ACCESS_ITEM_TYPE = "client_access"  # portal_access.visibility: the other accesses, hideable


class ConversationRow(NamedTuple):
    """One line of the portal's message list: (conversation, last message time, unread flag)."""

    conversation: Conversation
    last_message_at: datetime
    unread: bool


def messaging_on(access: ClientAccess) -> bool:
    """Whether the acted-for client's agency uses messaging."""
    return bool(access.client.organization.module_messaging)


def _visible(access: ClientAccess):
    """SQL condition: a conversation of the acted-for client, addressed to this account and not hidden from it."""
    addressed_to_account = exists(
        select(ConversationRecipient.id).where(
            ConversationRecipient.conversation_id == Conversation.id,
            ConversationRecipient.account_id == access.account_id,
        )
    )
    return and_(
        Conversation.client_id == access.client_id,
        or_(Conversation.audience_all.is_(True), addressed_to_account),
        visible_to(access, ITEM_TYPE, Conversation.id),
    )


def _unread(access: ClientAccess):
    """SQL expression: the conversation has a message newer than what this account has read."""
    last_read = (
        select(ReadState.last_read_message_id)
        .where(
            ReadState.conversation_id == Conversation.id,
            ReadState.reader_kind == READER,
            ReadState.reader_id == access.account_id,
        )
        .scalar_subquery()
    )
    return Conversation.last_message_id > func.coalesce(last_read, 0)


class _BoundAccess:
    """An access's ids as bound parameters, for statements built once per process (see `_params`)."""

    id = bindparam("access_id")
    client_id = bindparam("client_id")
    account_id = bindparam("account_id")


def _params(access: ClientAccess) -> dict[str, int]:
    return {"access_id": access.id, "client_id": access.client_id, "account_id": access.account_id}


@cache
def _list_statement():
    """The message list, built once per process: building it cost more CPU than running it."""
    return (select(Conversation, Conversation.last_message_at, _unread(_BoundAccess).label("unread"))
            .options(joinedload(Conversation.staff).load_only(User.first_name, User.last_name))
            .where(_visible(_BoundAccess))
            .order_by(Conversation.last_message_at.desc(), Conversation.id.desc()))


def conversations_for(access: ClientAccess, page: Any = 1, per_page: int = PER_PAGE) -> Page[ConversationRow]:
    """One page of the acted-for client's conversations this account may see, newest first, with unread flags."""
    result = fetch_page(_list_statement(), page, per_page, scalars=False, params=_params(access))
    result.items = [ConversationRow(conv, last_at, bool(unread)) for conv, last_at, unread in result.items]
    return result


def unread_count(access: ClientAccess) -> int:
    """How many visible conversations have something this account has not read (for the navigation): the
    counter kept with every message and mark-read, counted the exact way while not known."""
    kept = unread.known(unread.PORTAL, access.id)
    return kept if kept is not None else exact_unread_count(access)


def exact_unread_count(access: ClientAccess) -> int:
    """The badge counted over the acted-for client's visible conversations."""
    return db.session.scalar(
        select(func.count(Conversation.id)).where(_visible(access), _unread(access))
    ) or 0


@cache
def _conversation_statement():
    return (select(Conversation).options(joinedload(Conversation.staff).load_only(User.first_name, User.last_name))
            .where(Conversation.id == bindparam("conversation_id"), _visible(_BoundAccess)))


def conversation_for(access: ClientAccess, conversation_id: int) -> Conversation | None:
    """The conversation if this account may see it while acting for this client; None otherwise (404)."""
    return db.session.scalar(_conversation_statement(), {**_params(access), "conversation_id": conversation_id})


def messages_of(conversation: Conversation, before: int | None = None) -> MessagePage:
    """The newest messages (before message `before` when given), shown oldest first, senders loaded (one query)."""
    return message_page(conversation, before)


def portal_sender_labels(access: ClientAccess, conversation: Conversation) -> dict[int, ClientAccess]:
    """account id -> the access by which this reader may name a portal sender.

    Only the client's active accesses this reader may see (the home page's "who else acts"): a
    revoked access, or one staff hid from this representative, names nobody (the page says "Someone else").
    """
    rows = db.session.scalars(
        select(ClientAccess).where(
            ClientAccess.client_id == conversation.client_id,
            ClientAccess.active,
            visible_to(access, ACCESS_ITEM_TYPE, ClientAccess.id),
        ).order_by(ClientAccess.id)
    ).all()
    return {row.account_id: row for row in rows}


def contactable_staff(access: ClientAccess) -> list[CareTeamMember]:
    """Care-team members of the client who take messages from clients: contact allowed, enabled, Messaging permission."""
    return list(db.session.scalars(
        select(CareTeamMember)
        .join(User, User.id == CareTeamMember.user_id)
        .options(joinedload(CareTeamMember.user))
        .where(
            CareTeamMember.client_id == access.client_id,
            User.organization_id == access.client.organization_id,
            User.allow_client_contact.is_(True),
            User.enabled.is_(True),
            User.perm_messaging.is_(True),
        )
        .order_by(User.last_name, User.first_name, User.id)
    ).all())
