"""Who may use messaging: staff with the Messaging permission in an agency that switched the module on."""
from __future__ import annotations

from ..accounts.models import User
from ..authz import Permission, object_rule
from ..clients.models import Client


@object_rule(Permission.STAFF_MESSAGING)
def may_message(actor: User, client: Client | None) -> bool:
    if not (actor.perm_messaging and actor.organization.module_messaging):
        return False
    return client is None or client.organization_id == actor.organization_id
