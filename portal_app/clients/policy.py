"""Who may see and change a client record: staff of the agency that owns the client."""
from __future__ import annotations

from typing import Any

from ..authz import Permission, object_rule
from .models import Client


def in_own_agency(actor: Any, client: Client) -> bool:
    """Staff of the client's owning agency; partners never (they see clients through shares)."""
    return bool(getattr(actor, "is_staff", False)) and client.organization_id == actor.organization_id


@object_rule(Permission.STAFF_CLIENTS)
def may_view_client(actor: Any, client: Client | None) -> bool:
    """The list (no object: scoped by the query) or one client of the actor's agency."""
    return client is None or in_own_agency(actor, client)


@object_rule(Permission.STAFF_CLIENT_EDIT)
def may_edit_client(actor: Any, client: Client | None) -> bool:
    """Add a client (no object) or edit one of the actor's agency: names, details, photo."""
    return client is None or in_own_agency(actor, client)
