"""Messaging from the portal, the changes: reading, replying, and writing to a care-team member.

Every function takes the `ClientAccess` being acted for (the view's `g.acting`); which conversations
it may see is decided in `portal_queries`. A conversation a client or representative starts is
addressed to the starting account only (`audience_all=False` plus one `ConversationRecipient`).
Functions flush, never commit; refusals are named `MessagingError`s.
"""
from __future__ import annotations

from ..extensions import db
from ..portal_access.models import ClientAccess
from . import core
from .models import Conversation, ConversationRecipient, Message
from .portal_queries import READER, contactable_staff, messaging_on
from .sanitize import to_safe_html

MAX_SUBJECT = 200  # Conversation.subject


class MessagingOff(core.MessagingError):
    """The client's agency has not switched messaging on: the portal shows no messages (404)."""

    status = 404
    default_message = "Messages are not available."


class ClientContactOff(core.MessagingError):
    """The chosen person does not take messages from clients (not on the care team, contact off,
    no Messaging permission, or disabled). A field problem of the form (a stale or forged choice): 422."""

    field = "staff_id"
    default_message = "This person does not take messages through the portal. Choose someone else."


class SubjectTooLong(core.MessagingError):
    field = "subject"
    default_message = f"Use at most {MAX_SUBJECT} characters for the subject."


def mark_read_by_portal(access: ClientAccess, conversation: Conversation) -> None:
    """This account has now seen every message of the conversation."""
    core.mark_read(conversation, READER, access.account_id)


def reply_as_portal(access: ClientAccess, conversation: Conversation, body_text: str) -> Message:
    """A reply from the portal: plain text made into escaped paragraphs; the staff member is notified."""
    if not messaging_on(access):
        raise MessagingOff
    return core.append_message(conversation, to_safe_html(body_text, rich=False), account=access.account)


def start_conversation_from_portal(access: ClientAccess, staff_id: int, subject: str, body_text: str) -> Conversation:
    """A new conversation with a contactable care-team member, addressed to the starting account only."""
    if not messaging_on(access):
        raise MessagingOff
    if len(subject.strip()) > MAX_SUBJECT:
        raise SubjectTooLong
    member = next((m for m in contactable_staff(access) if m.user_id == staff_id), None)
    if member is None:
        raise ClientContactOff
    conversation = Conversation(
        client_id=access.client_id,
        subject=subject.strip(),
        staff_id=member.user_id,
        started_by_account_id=access.account_id,
        audience_all=False,
    )
    conversation.recipients.append(ConversationRecipient(account_id=access.account_id))
    db.session.add(conversation)
    db.session.flush()
    core.append_message(conversation, to_safe_html(body_text, rich=False), account=access.account)
    return conversation
