"""Who may administer organizations and user accounts."""
from __future__ import annotations

from ..authz import Permission, object_rule
from .models import Organization, User


@object_rule(Permission.ADMIN_USERS)
def may_manage_user(actor: User, target: User | None) -> bool:
    """Admins manage every account of the deployment; nobody disables themself."""
    return target is None or target.id != actor.id or actor.enabled


@object_rule(Permission.ADMIN_ORGANIZATIONS)
def may_manage_organization(actor: User, target: Organization | None) -> bool:
    return actor.is_admin
