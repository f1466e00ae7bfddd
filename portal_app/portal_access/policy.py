"""Who may manage portal access (staff) and what a portal account may see (per-representative visibility)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, select

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


def visible_to(access: Any, item_type: str, item_id_column):
    """SQL condition: the item is not hidden from this account's access to the client.

    Every portal query over client items adds it, e.g.
    `select(Document).where(Document.client_id == access.client_id, visible_to(access, "document", Document.id))`.
    `access` may also be a SQL expression of the access id (`bindparam("access_id")`, statements built once).
    """
    access_id = access if isinstance(access, ColumnElement) else access.id
    return ~exists(
        select(HiddenItem.id).where(
            and_(
                HiddenItem.access_id == access_id,
                HiddenItem.item_type == item_type,
                HiddenItem.item_id == item_id_column,
            )
        )
    )


def _own_active_access(actor: Any, access: Any) -> bool:
    return (isinstance(access, ClientAccess) and access.account_id == getattr(actor, "id", None)
            and access.active)


@object_rule(Permission.PORTAL_HOME)
def may_open_portal_home(actor: Any, access: ClientAccess | None) -> bool:
    """The home page, acting for a client through one of the account's own active accesses."""
    return access is None or _own_active_access(actor, access)


@object_rule(Permission.PORTAL_MESSAGES)
def may_use_portal_messages(actor: Any, access: ClientAccess | None) -> bool:
    """Messages of a client the account acts for through an active access (conversations are then
    filtered by visible_to in their queries)."""
    return access is None or _own_active_access(actor, access)


@object_rule(Permission.PORTAL_ACCOUNT)
def may_manage_portal_account(actor: Any, account: Any) -> bool:
    """Only the account's own settings."""
    return account is None or account is actor


@object_rule(Permission.KIOSK_HOME)
def may_use_kiosk(actor: Any, obj: Any) -> bool:
    """The kiosk's start page has no object; documents handed to it are checked by their own rules."""
    return obj is None
