"""Account Administration of organizations: partner organizations and the agency's modules.

Every function takes the acting administrator as `actor`, checks the business rules before changing
anything, records an audit event and flushes; the caller commits.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ... import audit
from ...extensions import db
from ..models import MODULES, AgencyPartner, Organization, OrganizationKind, Role, User
from ..queries import works_with
from .checks import apply_changes, check_manages, check_version, flush_or_refuse
from .errors import (
    AdministrationError,
    AgenciesByOperator,
    DuplicateOrganizationName,
    NotAnAgency,
    OrganizationKindInUse,
    PartnerNameTaken,
    SharingNotForAgencies,
)


def _organization_values(
    name: str, kind: str, phone: str, address: str, contact_name: str, contact_email: str,
    sharing_enabled: bool,
) -> dict[str, Any]:
    return {
        "name": name.strip(),
        "kind": OrganizationKind(kind).value,
        "phone": phone.strip(),
        "address": address.strip(),
        "contact_name": contact_name.strip(),
        "contact_email": contact_email.strip(),
        "sharing_enabled": bool(sharing_enabled),
    }


def _check_organization(org: Organization | None, values: dict[str, Any]) -> None:
    # lower() on both sides in the database, exactly as the unique index compares.
    query = select(Organization.id).where(func.lower(Organization.name) == func.lower(values["name"]))
    if org is not None:
        query = query.where(Organization.id != org.id)
    if db.session.scalar(query.limit(1)) is not None:
        raise DuplicateOrganizationName
    if values["kind"] == OrganizationKind.AGENCY and values["sharing_enabled"]:
        raise SharingNotForAgencies
    if org is not None and values["kind"] != org.kind:
        wrong = Role.PARTNER if values["kind"] == OrganizationKind.AGENCY else None
        misfits = select(User.id).where(User.organization_id == org.id)
        misfits = misfits.where(User.role == wrong) if wrong else misfits.where(User.role != Role.PARTNER)
        if db.session.scalar(misfits.limit(1)) is not None:
            raise OrganizationKindInUse(
                "This organization has user accounts whose roles need it to stay "
                f"{'a partner organization' if wrong else 'an agency'}. Change their roles or "
                "move them to another organization first."
            )


def _existing_partner(name: str) -> Organization | None:
    return db.session.scalar(select(Organization).where(
        func.lower(Organization.name) == func.lower(name.strip()), Organization.kind == OrganizationKind.PARTNER))


def link_partner(actor: User, partner: Organization) -> bool:
    """The actor's agency works with this partner organization from now on; False if it already did."""
    if works_with(actor.organization_id, partner.id):
        return False
    db.session.add(AgencyPartner(agency_id=actor.organization_id, partner_id=partner.id))
    flush_or_refuse(AdministrationError)
    audit.record("admin.partner_linked", actor, obj=partner)
    return True


def create_organization(
    actor: User, *, name: str, kind: str = OrganizationKind.PARTNER, phone: str = "", address: str = "",
    contact_name: str = "", contact_email: str = "", sharing_enabled: bool = False,
    link_existing: bool = False,
) -> Organization:
    """Add New partner organization, managed by the actor's agency and working with it.

    With `link_existing`, a partner organization of that name that already exists (another agency's)
    is linked instead: the agency may then share with it, but does not manage its details or users.
    """
    if kind != OrganizationKind.PARTNER:
        raise AgenciesByOperator
    existing = _existing_partner(name)
    if existing is not None and link_existing:
        link_partner(actor, existing)
        return existing
    values = _organization_values(name, kind, phone, address, contact_name, contact_email, sharing_enabled)
    if existing is not None:
        raise PartnerNameTaken
    _check_organization(None, values)
    org = Organization(**values, managing_agency_id=actor.organization_id)
    db.session.add(org)
    flush_or_refuse(DuplicateOrganizationName)
    db.session.add(AgencyPartner(agency_id=actor.organization_id, partner_id=org.id))
    flush_or_refuse(DuplicateOrganizationName)
    audit.record("admin.organization_created", actor, obj=org, details=values)
    return org


def update_organization(
    actor: User, org: Organization, expected_version: int | None, *, name: str, kind: str | None = None,
    phone: str = "", address: str = "", contact_name: str = "", contact_email: str = "",
    sharing_enabled: bool = False,
) -> dict[str, list[Any]]:
    """Save an edited organization (its kind stays); returns what changed ({} when nothing did)."""
    check_manages(actor, org)
    check_version(org, expected_version)
    if kind is not None and kind != org.kind:
        raise OrganizationKindInUse("The kind of an organization cannot change.")
    kind = org.kind
    values = _organization_values(name, kind, phone, address, contact_name, contact_email, sharing_enabled)
    _check_organization(org, values)
    changes = apply_changes(org, values)
    if changes:
        flush_or_refuse(DuplicateOrganizationName)
        audit.record("admin.organization_updated", actor, obj=org, details={"changes": changes})
    return changes


def update_agency_modules(
    actor: User, agency: Organization, expected_version: int | None, **modules: bool
) -> dict[str, list[Any]]:
    """Switch the agency's modules (Client Portal, Messaging, Kiosk, Referrals) on or off."""
    unknown = set(modules) - set(MODULES)
    if unknown:
        raise TypeError(f"unknown modules: {sorted(unknown)}")
    if not agency.is_agency:
        raise NotAnAgency
    check_manages(actor, agency)
    check_version(agency, expected_version)
    changes = apply_changes(agency, {f"module_{name}": bool(on) for name, on in modules.items()})
    if changes:
        flush_or_refuse(AdministrationError)
        audit.record("admin.modules_updated", actor, obj=agency, details={"changes": changes})
    return changes
