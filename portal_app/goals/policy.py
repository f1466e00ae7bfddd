"""Who may see and change goals: staff of the client's agency (partners and the portal do not manage them)."""
from __future__ import annotations

from typing import Any

from ..accounts.models import User
from ..authz import Permission, object_rule
from ..clients.models import Client
from .models import Goal


def _client_of(obj: Any) -> Client | None:
    if isinstance(obj, Client):
        return obj
    if isinstance(obj, Goal):
        return obj.client
    return None


@object_rule(Permission.STAFF_GOALS)
def may_manage_goals(actor: User, obj: Client | Goal | None) -> bool:
    """The goals of a client of the staff member's own agency (no object: the endpoint's own loader scopes it)."""
    if not (getattr(actor, "is_staff", False) and actor.enabled):
        return False
    if obj is None:
        return True
    client = _client_of(obj)
    return client is not None and client.organization_id == actor.organization_id


@object_rule(Permission.PORTAL_GOALS)
def may_see_own_goals(actor: Any, access: Any) -> bool:
    """The open goals of the client a portal account acts for, through one of its own active accesses."""
    from ..portal_access.models import ClientAccess

    if getattr(actor, "kind", None) != "portal":
        return False
    return access is None or (isinstance(access, ClientAccess) and access.account_id == actor.id and access.active)
