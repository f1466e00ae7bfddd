"""Reads of organizations and user accounts, scoped to the acting administrator's agency (S15).

An agency administrator sees their agency, the partner organizations it works with (AgencyPartner)
and manages the accounts of their agency and of the partner organizations it manages; nothing else.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import joinedload

from ..errors import NotFound
from ..extensions import db
from .models import AgencyPartner, Organization, OrganizationKind, User


class UserNotFound(NotFound):
    """No user account with this id among those the actor manages."""


class OrganizationNotFound(NotFound):
    """No organization with this id among those the actor manages."""


def _managed_by(agency_id: int | None) -> ColumnElement[bool]:
    """Organizations an agency's administrators manage: the agency itself and the partners it manages."""
    return or_(
        Organization.id == agency_id,
        (Organization.kind == OrganizationKind.PARTNER) & (Organization.managing_agency_id == agency_id),
    )


def _linked_partner_ids(agency_id: int | None):
    return select(AgencyPartner.partner_id).where(AgencyPartner.agency_id == agency_id)


def _staff_agency_id(actor: User) -> int:
    """The actor's agency id; an actor outside any agency (the operator) gets an id no row has."""
    return actor.organization_id if actor.is_staff else -1


def organizations_for(actor: User) -> list[Organization]:
    """The actor's agency, then the partner organizations it works with, by name."""
    agency_id = _staff_agency_id(actor)
    return list(db.session.scalars(
        select(Organization)
        .where(or_(Organization.id == agency_id, Organization.id.in_(_linked_partner_ids(agency_id))))
        .order_by(Organization.kind, func.lower(Organization.name))
    ))


def managed_organizations(actor: User) -> list[Organization]:
    """Organizations whose accounts the administrator manages (the user form's Organization choices)."""
    return list(db.session.scalars(
        select(Organization).where(_managed_by(_staff_agency_id(actor)))
        .order_by(Organization.kind, func.lower(Organization.name))
    ))


def get_organization_for(actor: User, org_id: int) -> Organization:
    """An organization the administrator manages; any other raises OrganizationNotFound (404)."""
    org = db.session.scalar(select(Organization).where(Organization.id == org_id,
                                                       _managed_by(_staff_agency_id(actor))))
    if org is None:
        raise OrganizationNotFound
    return org


def users_for(actor: User) -> list[User]:
    """The accounts the administrator manages, by name, with their organization (one query)."""
    return list(db.session.scalars(
        select(User).join(Organization, Organization.id == User.organization_id)
        .where(_managed_by(_staff_agency_id(actor)))
        .options(joinedload(User.organization))
        .order_by(func.lower(User.last_name), func.lower(User.first_name), User.id)
    ))


def get_user_for(actor: User, user_id: int) -> User:
    """An account the administrator manages; any other raises UserNotFound (404)."""
    user = db.session.scalar(
        select(User).join(Organization, Organization.id == User.organization_id)
        .where(User.id == user_id, _managed_by(_staff_agency_id(actor)))
    )
    if user is None:
        raise UserNotFound
    return user


def seat_agency_id(organization: Organization) -> int | None:
    """The agency whose licence seats an account of `organization` uses."""
    return organization.id if organization.is_agency else organization.managing_agency_id


def seats_used(agency: Organization) -> int:
    """Enabled accounts of the agency and of the partner organizations it manages hold a seat each."""
    return db.session.scalar(
        select(func.count(User.id)).join(Organization, Organization.id == User.organization_id)
        .where(User.enabled.is_(True), _managed_by(agency.id))
    ) or 0


def seats_total(agency: Organization) -> int:
    """The agency's licence seats (set by the operator; the deployment default otherwise)."""
    if agency.licence_seats is not None:
        return agency.licence_seats
    return int(current_app.config["LICENCE_SEATS"])


def partner_organizations_for(agency_id: int, *, sharing_only: bool = True) -> list[Organization]:
    """Partner organizations the agency works with (sharing enabled unless asked otherwise), by name."""
    stmt = select(Organization).where(Organization.kind == OrganizationKind.PARTNER,
                                      Organization.id.in_(_linked_partner_ids(agency_id)))
    if sharing_only:
        stmt = stmt.where(Organization.sharing_enabled.is_(True))
    return list(db.session.scalars(stmt.order_by(Organization.name)))


def works_with(agency_id: int, partner_id: int) -> bool:
    """Whether the agency works with this partner organization."""
    return db.session.scalar(select(AgencyPartner.id).where(
        AgencyPartner.agency_id == agency_id, AgencyPartner.partner_id == partner_id).limit(1)) is not None
