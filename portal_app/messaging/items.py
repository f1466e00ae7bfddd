"""PORTAL Inbox items: what a client did on the portal that one staff member must know of — a request
fulfilled or "I can't provide this" (requests), an ROI revoked (roi), a document declined (documents).

An item is a conversation addressed to that staff member (`staff_id`) and to the portal account that acted,
marked with its kind and the id of what it is about, holding the account's message(s). It shows in the
staff member's Inbox with the PORTAL label whether or not they hold the Messaging permission
(`policy.may_open_inbox`); without it, the Inbox shows them their items only. Functions flush, never commit.
"""
from __future__ import annotations

from ..extensions import db
from ..portal_access.models import PortalAccount
from . import core
from .models import Conversation, ConversationRecipient, Message
from .sanitize import to_safe_html

REQUEST, ROI, DOCUMENT = "request", "roi", "document"
KINDS = (REQUEST, ROI, DOCUMENT)


def new_item(kind: str, item_id: int, *, client_id: int, staff_id: int, account: PortalAccount,
             subject: str) -> Conversation:
    """An empty item conversation, addressed to the staff member and to the account that acted."""
    if kind not in KINDS:
        raise ValueError(kind)
    conversation = Conversation(client_id=client_id, staff_id=staff_id, subject=subject[:200],
                                started_by_account_id=account.id, audience_all=False, item_kind=kind,
                                item_id=item_id)
    conversation.recipients.append(ConversationRecipient(account_id=account.id))
    db.session.add(conversation)
    db.session.flush()
    return conversation


def post(conversation: Conversation, account: PortalAccount, text: str, *, notify: bool = True) -> Message:
    """The account's words in the item (plain text, escaped); `notify=False` when the caller's domain already
    emails the staff member its own link (one email per event)."""
    return core.append_message(conversation, to_safe_html(text, rich=False), account=account, notify=notify)


def tell_staff(kind: str, item_id: int, *, client_id: int, staff_ids: list[int], account: PortalAccount,
               subject: str, text: str, notify: bool = True) -> list[Conversation]:
    """One new item per staff member (each their own conversation, so each reads it on their own)."""
    items = []
    for staff_id in sorted(set(staff_ids)):
        conversation = new_item(kind, item_id, client_id=client_id, staff_id=staff_id, account=account,
                                subject=subject)
        post(conversation, account, text, notify=notify)
        items.append(conversation)
    return items
