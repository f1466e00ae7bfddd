"""Who may manage programs: the owning organization's members (partner site) and agency administrators.

An agency administrator manages the agency's own programs and those of the partner organizations the
agency manages (Organization.managing_agency_id); a partner organization's users manage only their
organization's programs. The directory itself (search, HSDS API) is program data, not client data.
"""
from __future__ import annotations

from typing import Any

from ..accounts.models import Organization, Role, User
from ..authz import Permission, can, object_rule
from .models import Location, Program, ProgramLocation


def _organization_of(obj: Any) -> Organization | None:
    if isinstance(obj, Organization):
        return obj
    if isinstance(obj, (Program, Location)):
        return obj.organization
    if isinstance(obj, ProgramLocation):
        return obj.program.organization
    return None


def agency_manages(actor: User, organization: Organization) -> bool:
    """The organization is the administrator's agency or a partner organization it manages."""
    return actor.organization_id is not None and (
        organization.id == actor.organization_id or organization.managing_agency_id == actor.organization_id)


@object_rule(Permission.ADMIN_PROGRAMS)
def admin_may_manage_program(actor: User, obj: Program | Location | ProgramLocation | Organization | None) -> bool:
    """The Programs list (no object: scoped by its query), or a program of an organization the agency manages."""
    if not actor.is_admin:
        return False
    if obj is None:
        return True
    organization = _organization_of(obj)
    return organization is not None and agency_manages(actor, organization)


@object_rule(Permission.PARTNER_PROGRAMS)
def partner_may_manage_program(actor: User, obj: Program | Location | ProgramLocation | Organization | None) -> bool:
    """A program (or location) of the partner user's own organization."""
    if actor.role != Role.PARTNER:
        return False
    if obj is None:
        return True
    organization = _organization_of(obj)
    return organization is not None and organization.id == actor.organization_id


@object_rule(Permission.STAFF_DIRECTORY)
def may_search_directory(actor: User, obj: Program | None) -> bool:
    """Any agency staff member searches the whole directory: programs are public data."""
    return actor.is_staff and (obj is None or isinstance(obj, Program))


def may_manage_program(actor: Any, program: Program) -> bool:
    """Whichever of the two management permissions applies to this actor."""
    return can(actor, Permission.ADMIN_PROGRAMS, program) or can(actor, Permission.PARTNER_PROGRAMS, program)
