"""Who may manage portal access (staff) and what a portal account may see (per-representative visibility)."""
from __future__ import annotations

from sqlalchemy import and_, exists, select

from ..accounts.models import User
from ..authz import Permission, object_rule
from ..clients.models import Client
from .models import ClientAccess, HiddenItem


@object_rule(Permission.STAFF_PORTAL_MANAGER)
def may_manage_portal(actor: User, client: Client | None) -> bool:
    """The agency switched the Client Portal on and the staff member holds the "Client Portal" permission."""
    if not (actor.perm_client_portal and actor.organization.module_client_portal):
        return False
    return client is None or client.organization_id == actor.organization_id


def visible_to(access: ClientAccess, item_type: str, item_id_column):
    """SQL condition: the item is not hidden from this account's access to the client.

    Every portal query over client items adds it, e.g.
    `select(Document).where(Document.client_id == access.client_id, visible_to(access, "document", Document.id))`.
    """
    return ~exists(
        select(HiddenItem.id).where(
            and_(
                HiddenItem.access_id == access.id,
                HiddenItem.item_type == item_type,
                HiddenItem.item_id == item_id_column,
            )
        )
    )
