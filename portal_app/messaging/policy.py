"""Who may use messaging (staff with the Messaging permission in an agency that switched the module on), who
may open the Inbox (with Messaging, the conversations of their scope; without it, the PORTAL Inbox items
addressed to them, once they have one), and conversations as items staff may hide from one
representative."""
from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import User
from ..authz import Permission, object_rule
from ..clients.models import Client
from ..extensions import db
from ..portal_access.visibility import ItemType, register
from .models import ITEM_TYPE, Conversation


@object_rule(Permission.STAFF_MESSAGING)
def may_message(actor: User, client: Client | None) -> bool:
    if not (actor.perm_messaging and actor.organization.module_messaging):
        return False
    return client is None or client.organization_id == actor.organization_id


@object_rule(Permission.STAFF_INBOX)
def may_open_inbox(actor: User, obj: Conversation | None) -> bool:
    """The Inbox: staff with Messaging, and staff without it who have PORTAL Inbox items addressed to them (a
    request they sent was answered, an ROI of their client revoked, a document they sent declined). A
    conversation: with Messaging, any of the agency's (the Inbox's scope query narrows it further); without
    it, only an Inbox item addressed to them."""
    if not (getattr(actor, "is_staff", False) and actor.organization_id):
        return False
    if obj is None:
        return may_message(actor, None) or db.session.scalar(select(Conversation.id).where(
            Conversation.staff_id == actor.id, Conversation.item_kind != "").limit(1)) is not None
    if not isinstance(obj, Conversation) or obj.client.organization_id != actor.organization_id:
        return False
    return may_message(actor, obj.client) or (bool(obj.item_kind) and obj.staff_id == actor.id)


def inbox_items_only(actor: User) -> bool:
    """Without Messaging, the Inbox lists (and counts) only the PORTAL items addressed to the staff member."""
    return not may_message(actor, None)


def _load_conversation(client: Client, item_id: int) -> Conversation | None:
    conversation = db.session.get(Conversation, item_id)
    return conversation if conversation is not None and conversation.client_id == client.id else None


def _list_conversations(client: Client) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Conversation.id, Conversation.subject)
        .where(Conversation.client_id == client.id)
        .order_by(Conversation.last_message_at.desc())
    )
    return [(cid, f"Conversation \u201c{subject or 'no subject'}\u201d") for cid, subject in rows]


# Staff hide a conversation from one representative in the Client Portal Manager; the portal's
# conversation queries filter with portal_access.policy.visible_to(access, ITEM_TYPE, Conversation.id).
register(ITEM_TYPE, ItemType("Messages", _load_conversation, _list_conversations))
