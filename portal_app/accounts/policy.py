"""Who may administer organizations, accounts, agency settings and agencies, and use their own account."""
from __future__ import annotations

from typing import Any

from ..authz import Permission, object_rule
from .models import Organization, OrganizationKind, User


def manages_organization(actor: User, org: Organization) -> bool:
    """An agency administrator manages their agency and the partner organizations it manages."""
    if not (actor.is_admin and actor.organization_id is not None):
        return False
    if org.id == actor.organization_id:
        return True
    return org.kind == OrganizationKind.PARTNER and org.managing_agency_id == actor.organization_id


@object_rule(Permission.ADMIN_USERS)
def may_manage_user(actor: User, target: User | None) -> bool:
    """The list (no object: scoped by the query) or an account of an organization the admin manages."""
    return target is None or manages_organization(actor, target.organization)


@object_rule(Permission.ADMIN_ORGANIZATIONS)
def may_manage_organization(actor: User, target: Organization | None) -> bool:
    """The list (scoped by the query) or an organization the admin manages."""
    return target is None or manages_organization(actor, target)


@object_rule(Permission.ADMIN_SETTINGS)
def may_change_agency_settings(actor: User, agency: Organization | None) -> bool:
    """Only the administrator's own agency's modules."""
    return agency is None or (actor.is_admin and agency.is_agency and agency.id == actor.organization_id)


@object_rule(Permission.OPERATOR_AGENCIES)
def may_run_agencies(actor: User, agency: Organization | None) -> bool:
    """The operator creates agencies and sets their seats; it never reaches an agency's data."""
    return actor.is_operator and (agency is None or agency.is_agency)


@object_rule(Permission.STAFF_HOME)
def may_open_staff_home(actor: User, obj: Any) -> bool:
    """The home screen has no object; its panels read through scoped queries."""
    return obj is None


def _own_account(actor: User, target: Any) -> bool:
    return target is None or (isinstance(target, User) and target.id == actor.id)


object_rule(Permission.STAFF_ACCOUNT)(_own_account)
object_rule(Permission.PARTNER_ACCOUNT)(_own_account)


@object_rule(Permission.PARTNER_HOME)
def may_open_partner_home(actor: User, obj: Any) -> bool:
    """The partner home lists the organization's shares through a scoped query; no object."""
    return obj is None
