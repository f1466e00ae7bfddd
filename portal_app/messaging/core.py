"""The one way a message is added to a conversation: stored sanitized, read state moved, the other side notified.

Both the staff-side services and the portal-side services go through `append_message`.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased

from .. import audit
from ..accounts.models import User
from ..clock import as_utc, utcnow
from ..errors import DomainError
from ..extensions import db
from ..outbox import enqueue_template
from ..transactions import start_writing
from ..portal_access.models import ClientAccess, HiddenItem, PortalAccount
from . import unread
from .models import ITEM_TYPE, Conversation, ConversationRecipient, Message, ReadState
from .sanitize import MAX_BODY, has_text, sanitize_message

NOTIFY_EVERY = timedelta(hours=1)  # at most one email per conversation per reader per hour (S14, no flood)


class MessagingError(DomainError):
    """A messaging rule refused the change; nothing was sent."""

    default_message = "This message could not be sent."


class EmptyMessage(MessagingError):
    field = "body"
    default_message = "Write a message before sending."


class MessageTooLong(MessagingError):
    field = "body"
    default_message = f"Messages can be at most {MAX_BODY:,} characters long."


def check_body(body_html: str) -> str:
    """A sanitized body must say something and stay within the limit."""
    if not has_text(body_html):
        raise EmptyMessage
    if len(body_html) > MAX_BODY:
        raise MessageTooLong
    return body_html


def _find_state(conversation: Conversation, kind: str, reader_id: int) -> ReadState | None:
    return db.session.scalar(select(ReadState).where(
        ReadState.conversation_id == conversation.id, ReadState.reader_kind == kind, ReadState.reader_id == reader_id))


def read_state(conversation: Conversation, kind: str, reader_id: int) -> ReadState:
    state = _find_state(conversation, kind, reader_id)
    if state is None:
        state = ReadState(conversation_id=conversation.id, reader_kind=kind, reader_id=reader_id,
                          last_read_message_id=0)
        db.session.add(state)
    return state


def mark_read(conversation: Conversation, kind: str, reader_id: int) -> ReadState:
    """The reader has seen every message of the conversation so far (their unread counter follows).

    Opening a conversation already read to its end changes nothing: no lock, no write (a GET stays a
    read, so views of one conversation never queue). Otherwise the request starts writing here."""
    state = _find_state(conversation, kind, reader_id)
    if state is not None and state.last_read_message_id >= (conversation.last_message_id or 0):
        # A message sent meanwhile counts itself: it finds this reader read to its previous end.
        return state
    start_writing()  # SQLite: the read transaction ends, what was loaded reloads under the write lock
    with db.session.no_autoflush:  # a new state is written once, with its final marker
        last = unread.lock_conversation(conversation)
        state = read_state(conversation, kind, reader_id)
    was_unread = (state.last_read_message_id or 0) < last
    if was_unread:
        state.last_read_message_id = last
    db.session.flush()
    unread.marked_read(conversation, kind, reader_id, was_unread)
    return state


def catch_up_last_messages(conversation_ids: list[int]) -> None:
    """After bulk inserts of messages (which skip the model's event): each conversation's last message again."""
    newest, one = aliased(Message), aliased(Message)
    last = (select(func.max(newest.id)).where(newest.conversation_id == Conversation.id)
            .correlate(Conversation).scalar_subquery())
    at = select(one.created_at).where(one.id == last).correlate(Conversation).scalar_subquery()
    for start in range(0, len(conversation_ids), 1000):
        chunk = conversation_ids[start:start + 1000]
        db.session.execute(update(Conversation).where(Conversation.id.in_(chunk))
                           .values(last_message_id=func.coalesce(last, 0), last_message_at=func.coalesce(
                               at, Conversation.last_message_at)).execution_options(synchronize_session=False))
    unread.forget_all()  # the bulk insert moved no counter


def portal_readers(conversation: Conversation) -> list[PortalAccount]:
    """The accounts that see this conversation: its audience, minus those it is hidden from."""
    hidden_from = select(HiddenItem.access_id).where(
        HiddenItem.item_type == ITEM_TYPE, HiddenItem.item_id == conversation.id
    )
    stmt = (
        select(PortalAccount)
        .join(ClientAccess, ClientAccess.account_id == PortalAccount.id)
        .where(
            ClientAccess.client_id == conversation.client_id,
            ClientAccess.readable(),
            ClientAccess.id.not_in(hidden_from),
        )
    )
    if not conversation.audience_all:
        chosen = select(ConversationRecipient.account_id).where(
            ConversationRecipient.conversation_id == conversation.id
        )
        stmt = stmt.where(PortalAccount.id.in_(chosen))
    return list(db.session.scalars(stmt.order_by(PortalAccount.id)))


def _notify(conversation: Conversation, kind: str, reader_id: int, to: str, template: str, **context) -> bool:
    """Email one reader about new messages, unless they were told about this conversation within the hour."""
    if not to:
        return False
    state = read_state(conversation, kind, reader_id)
    now = utcnow()
    if state.last_notified_at is not None and now - as_utc(state.last_notified_at) < NOTIFY_EVERY:
        return False
    state.last_notified_at = now
    enqueue_template(to, template, **context)
    return True


def notify_portal(conversation: Conversation, agency_name: str) -> int:
    """"You have a new message from <agency>" with a link; no message text, no client name (S14)."""
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/portal/messages"
    return sum(
        _notify(conversation, "portal", account.id, account.email, "new_message_portal",
                agency_name=agency_name, link=link, language=account.language)
        for account in portal_readers(conversation)
    )


def notify_staff(conversation: Conversation, staff: User) -> bool:
    """A message from the portal: the addressed staff member gets a link to the inbox."""
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + f"/staff/messages/{conversation.id}"
    return _notify(conversation, "staff", staff.id, staff.email, "new_message_staff", link=link)


def append_message(conversation: Conversation, body_html: str, *, staff: User | None = None,
                   account: PortalAccount | None = None, notify: bool = True) -> Message:
    """Add a sanitized message from staff or from a portal account; notify the other side (flushes).
    `notify=False`: the caller emails its own link instead (an Inbox item whose domain already tells staff)."""
    body_html = check_body(sanitize_message(body_html))  # idempotent on clean input; S9 whatever the caller did
    previous_last = unread.lock_conversation(conversation)  # judged under the lock: concurrent sends queue here
    message = Message(conversation=conversation, body_html=body_html,
                      sender_staff_id=staff.id if staff else None, sender_account_id=account.id if account else None)
    db.session.add(message)
    db.session.flush()  # the message becomes the conversation's last one (models._move_conversation_on)
    unread.message_added(conversation, previous_last, staff_sender=staff.id if staff is not None else None,
                         portal_sender=account.id if account is not None else None)
    if staff is not None:
        mark_read(conversation, "staff", staff.id).took_part = True  # the conversation is now in their inbox
        notify_portal(conversation, conversation.client.organization.name)
        audit.record("message.sent", staff, obj=message, client_id=conversation.client_id,
                     details={"conversation_id": conversation.id})
    else:
        mark_read(conversation, "portal", account.id)
        if notify:
            notify_staff(conversation, conversation.staff)
        audit.record("message.sent", account, obj=message, client_id=conversation.client_id,
                     site="portal", details={"conversation_id": conversation.id})
    return message
