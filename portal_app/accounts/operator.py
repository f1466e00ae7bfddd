"""The deployment operator's work: agencies, their licence seats and first administrator.

The operator sees agencies' names and counts, never a client, a share or a message.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from .. import audit
from ..errors import NotFound
from ..extensions import db
from ..passwords import hash_password
from ..plaintext import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from .administration.checks import check_email_free, check_password, flush_or_refuse
from .administration.errors import AdministrationError, DuplicateEmail, DuplicateOrganizationName, StaleEdit
from .models import Organization, OrganizationKind, Role, User
from .queries import seats_total

MAX_SEATS = 100_000
MAX_AGENCY_NAME = 120


class AgencyNotFound(NotFound):
    """No agency with this id."""


class InvalidSeats(AdministrationError):
    field = "licence_seats"
    default_message = f"Enter a number of seats from 1 to {MAX_SEATS:,}."


class InvalidAgencyName(AdministrationError):
    field = "name"
    default_message = "Enter the agency name."


@dataclass(frozen=True)
class AgencyRow:
    """One line of the operator's agency list."""

    agency: Organization
    seats_used: int
    seats_total: int
    admins: int


def list_agencies(actor: User) -> list[AgencyRow]:
    """Every agency with its seats in use and its administrators (three queries whatever their number)."""
    agencies = list(db.session.scalars(select(Organization).where(Organization.kind == OrganizationKind.AGENCY)
                                       .order_by(func.lower(Organization.name))))
    seat_org = func.coalesce(Organization.managing_agency_id, Organization.id)
    used = dict(db.session.execute(
        select(seat_org, func.count(User.id)).join(Organization, Organization.id == User.organization_id)
        .where(User.enabled.is_(True), Organization.kind.in_([OrganizationKind.AGENCY, OrganizationKind.PARTNER]))
        .group_by(seat_org)
    ).all())
    admins = dict(db.session.execute(
        select(User.organization_id, func.count(User.id)).where(User.role == Role.ADMIN, User.enabled.is_(True))
        .group_by(User.organization_id)
    ).all())
    return [AgencyRow(a, used.get(a.id, 0), seats_total(a), admins.get(a.id, 0)) for a in agencies]


def seats_total_default() -> int:
    """The deployment's LICENCE_SEATS: the seats a new agency gets unless the operator types another number."""
    return seats_total(Organization())


def get_agency_for(actor: User, agency_id: int) -> Organization:
    """An agency, for the operator; anything else raises AgencyNotFound (404)."""
    agency = db.session.scalar(select(Organization).where(Organization.id == agency_id,
                                                          Organization.kind == OrganizationKind.AGENCY))
    if agency is None or not actor.is_operator:
        raise AgencyNotFound
    return agency


def _check_seats(seats: int | None) -> int:
    if seats is None or not 1 <= seats <= MAX_SEATS:
        raise InvalidSeats
    return seats


def create_agency(actor: User, *, name: str, licence_seats: int | None, admin_email: str, admin_first_name: str,
                  admin_last_name: str, admin_password: str) -> tuple[Organization, User]:
    """A new agency with its licence seats and its first administrator (who uses one seat)."""
    name = _check_agency_name(None, name)
    seats = _check_seats(licence_seats)
    try:
        check_email_free(admin_email.strip(), None)
    except DuplicateEmail as err:
        raise DuplicateEmail(field="admin_email") from err
    try:
        check_password(admin_password)
    except AdministrationError as err:
        raise AdministrationError(str(err), field="admin_password") from err
    agency = Organization(name=name, kind=OrganizationKind.AGENCY, licence_seats=seats)
    db.session.add(agency)
    flush_or_refuse(DuplicateOrganizationName)
    admin = User(email=admin_email.strip(), password_hash=hash_password(admin_password), organization=agency,
                 first_name=admin_first_name.strip(), last_name=admin_last_name.strip(), role=Role.ADMIN,
                 perm_client_portal=True, perm_messaging=True)
    db.session.add(admin)
    flush_or_refuse(DuplicateEmail)
    audit.record("operator.agency_created", actor, obj=agency, details={"name": name, "licence_seats": seats,
                                                                        "admin_user_id": admin.id})
    return agency, admin


def set_licence_seats(actor: User, agency: Organization, expected_version: int | None, seats: int | None) -> bool:
    """Set the agency's licence seats; existing accounts stay enabled even above the new number."""
    seats = _check_seats(seats)
    if expected_version is None or agency.version_id != expected_version:
        raise StaleEdit
    if agency.licence_seats == seats:
        return False
    old, agency.licence_seats = agency.licence_seats, seats
    flush_or_refuse(AdministrationError)
    audit.record("operator.seats_changed", actor, obj=agency, details={"changes": {"licence_seats": [old, seats]}})
    return True


def _check_agency_name(agency: Organization | None, name: str) -> str:
    """Required, at most 120 characters, no control characters, unique whatever its case (`agency` aside)."""
    name = (name or "").strip()
    if not name:
        raise InvalidAgencyName
    if len(name) > MAX_AGENCY_NAME:
        raise InvalidAgencyName(f"Use at most {MAX_AGENCY_NAME} characters.")
    if has_control_characters(name, tabs=False):
        raise InvalidAgencyName(CONTROL_CHARACTERS_MESSAGE)
    same_name = select(Organization.id).where(func.lower(Organization.name) == func.lower(name))
    if agency is not None:
        same_name = same_name.where(Organization.id != agency.id)
    taken = db.session.scalar(same_name.limit(1))
    if taken is not None:
        raise DuplicateOrganizationName
    return name


def rename_agency(actor: User, agency: Organization, expected_version: int | None, name: str) -> bool:
    """Give the agency a new name (409 if someone saved it meanwhile); False when the name is the same."""
    name = _check_agency_name(agency, name)
    if expected_version is None or agency.version_id != expected_version:
        raise StaleEdit
    if agency.name == name:
        return False
    old, agency.name = agency.name, name
    flush_or_refuse(DuplicateOrganizationName)
    audit.record("operator.agency_renamed", actor, obj=agency, details={"changes": {"name": [old, name]}})
    return True


def set_agency_enabled(actor: User, agency: Organization, enabled: bool) -> bool:
    """Disable an agency (its staff's sessions end, none can sign in) or enable it again.

    Nothing is deleted: clients, partner links, shares and portal accounts stay as they are. Asking
    for the state the agency is already in changes nothing (a double submit is harmless).
    """
    if agency.enabled == enabled:
        return False
    agency.enabled = enabled
    flush_or_refuse(AdministrationError)
    details = {}
    if not enabled:  # every cookie of its staff stops working, and stays dead after re-enabling
        ended = db.session.execute(
            update(User).where(User.organization_id == agency.id)
            .values(session_epoch=User.session_epoch + 1).execution_options(synchronize_session="fetch"))
        details["sessions_ended_for"] = ended.rowcount
    audit.record("operator.agency_enabled" if enabled else "operator.agency_disabled", actor, obj=agency,
                 details=details)
    return True
