"""Account Administration: organizations, user accounts, agency modules and licence seats.

Every function takes the acting administrator as `actor`, checks the business rules
before changing anything, records an audit event and flushes; the caller commits.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .. import audit, locks
from ..errors import DomainError
from ..extensions import db
from ..passwords import hash_password
from .models import (
    AGENCY_STAFF_ROLES,
    MODULES,
    AgencyPartner,
    Organization,
    OrganizationKind,
    Role,
    User,
)
from .policy import manages_organization
from .queries import seat_agency_id, seats_total, seats_used, works_with
from .services import PasswordPolicyError, end_all_sessions, validate_password


class AdministrationError(DomainError):
    """A change refused by a rule of Account Administration; nothing was saved."""


class DuplicateOrganizationName(AdministrationError):
    field = "name"
    default_message = "An organization with this name already exists. Enter a different name."


class SharingNotForAgencies(AdministrationError):
    field = "sharing_enabled"
    default_message = (
        "Sharing is only for partner organizations. Uncheck \u201cSharing enabled\u201d "
        "or choose Partner organization as the kind."
    )


class OrganizationKindInUse(AdministrationError):
    field = "kind"


class NotAnAgency(AdministrationError):
    default_message = "Modules can only be switched on for an agency."


class DuplicateEmail(AdministrationError):
    field = "email"
    default_message = "Another user account already uses this email address. Enter a different one."


class InvalidPassword(AdministrationError):
    field = "password"


class RoleOrganizationMismatch(AdministrationError):
    field = "role"


class CannotDisableSelf(AdministrationError):
    field = "enabled"
    status = 409
    default_message = "You cannot disable your own account. Ask another administrator to do it."


class CannotChangeOwnRole(AdministrationError):
    field = "role"
    status = 409
    default_message = "You cannot change your own role. Ask another administrator to do it."


class OrganizationOutsideAgency(AdministrationError):
    field = "organization_id"
    default_message = "Choose one of the organizations in the list."


class AgenciesByOperator(AdministrationError):
    field = "kind"
    default_message = "Agencies are created by the deployment operator. Add a partner organization instead."


class PartnerNameTaken(DuplicateOrganizationName):
    default_message = (
        "An organization with this name already exists. If it is a partner organization that works with "
        "another agency, tick \u201cWork with the existing organization of this name\u201d to work with it too; "
        "otherwise enter a different name."
    )


class SeatLimitReached(AdministrationError):
    status = 409

    def __init__(self, total: int) -> None:
        super().__init__(
            f"All {total} licence seats are in use. "
            "Disable an account or ask for more seats before enabling another."
        )
        self.total = total


class StaleEdit(AdministrationError):
    status = 409
    default_message = (
        "Someone else changed this record after you opened the form, so nothing was saved. "
        "Your entries are kept below: check them against the current details and save again."
    )


# --- shared checks -------------------------------------------------------------------


def _require_free_seat(organization: Organization) -> None:
    """The agency whose seats an account of `organization` uses has one free."""
    locks.serialize(locks.LICENCE_SEATS)  # two admins enabling the last seat at once: one waits, then counts
    agency = db.session.get(Organization, seat_agency_id(organization))
    if agency is None:
        raise OrganizationOutsideAgency
    total = seats_total(agency)
    if seats_used(agency) >= total:
        raise SeatLimitReached(total)


def _check_manages(actor: User, organization: Organization) -> None:
    """An administrator acts only on their agency and the partner organizations it manages (S15)."""
    if not manages_organization(actor, organization):
        raise OrganizationOutsideAgency


def _check_version(obj: Organization | User, expected_version: int | None) -> None:
    """Optimistic locking (R3): the form must carry the version it was loaded with."""
    if expected_version is None or obj.version_id != expected_version:
        raise StaleEdit


def _flush(duplicate: type[AdministrationError]) -> None:
    """Flush; a concurrent edit or a name taken meanwhile becomes a named refusal."""
    try:
        db.session.flush()
    except StaleDataError as err:
        raise StaleEdit from err
    except IntegrityError as err:  # the unique index lost a race with another request
        raise duplicate from err


def _apply(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the values that differ; return {field: [old, new]} for the audit trail."""
    changes = {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = [old, value]
            setattr(obj, name, value)
    return changes


# --- organizations -------------------------------------------------------------------


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
    _flush(AdministrationError)
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
    _flush(DuplicateOrganizationName)
    db.session.add(AgencyPartner(agency_id=actor.organization_id, partner_id=org.id))
    _flush(DuplicateOrganizationName)
    audit.record("admin.organization_created", actor, obj=org, details=values)
    return org


def update_organization(
    actor: User, org: Organization, expected_version: int | None, *, name: str, kind: str | None = None,
    phone: str = "", address: str = "", contact_name: str = "", contact_email: str = "",
    sharing_enabled: bool = False,
) -> dict[str, list[Any]]:
    """Save an edited organization (its kind stays); returns what changed ({} when nothing did)."""
    _check_manages(actor, org)
    _check_version(org, expected_version)
    if kind is not None and kind != org.kind:
        raise OrganizationKindInUse("The kind of an organization cannot change.")
    kind = org.kind
    values = _organization_values(name, kind, phone, address, contact_name, contact_email, sharing_enabled)
    _check_organization(org, values)
    changes = _apply(org, values)
    if changes:
        _flush(DuplicateOrganizationName)
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
    _check_manages(actor, agency)
    _check_version(agency, expected_version)
    changes = _apply(agency, {f"module_{name}": bool(on) for name, on in modules.items()})
    if changes:
        _flush(AdministrationError)
        audit.record("admin.modules_updated", actor, obj=agency, details={"changes": changes})
    return changes


# --- user accounts -------------------------------------------------------------------


def _check_email_free(email: str, user: User | None) -> None:
    query = select(User.id).where(func.lower(User.email) == func.lower(email))
    if user is not None:
        query = query.where(User.id != user.id)
    if db.session.scalar(query.limit(1)) is not None:
        raise DuplicateEmail


def _check_password(password: str) -> None:
    try:
        validate_password(password)
    except PasswordPolicyError as err:
        raise InvalidPassword(str(err)) from err


def _check_role_fits(role: str, organization: Organization) -> None:
    """Third-Party Organization users belong to partners; staff roles to agencies; nobody becomes an operator."""
    if role not in AGENCY_STAFF_ROLES | {Role.PARTNER}:
        raise RoleOrganizationMismatch("Choose one of the roles in the list.")
    if Role(role) == Role.PARTNER and organization.is_agency:
        raise RoleOrganizationMismatch(
            "A Third-Party Organization user must belong to a partner organization. "
            "Choose a partner organization or a staff role."
        )
    if Role(role) != Role.PARTNER and not organization.is_agency:
        raise RoleOrganizationMismatch(
            "Administrator, Supervisor and Case Manager accounts must belong to an agency. "
            "Choose an agency or the Third-Party Organization role."
        )


def _user_values(
    email: str, first_name: str, middle_name: str, last_name: str, organization: Organization,
    role: str, enabled: bool, perm_client_portal: bool, perm_messaging: bool,
) -> dict[str, Any]:
    return {
        "email": email.strip(),
        "first_name": first_name.strip(),
        "middle_name": middle_name.strip(),
        "last_name": last_name.strip(),
        "organization_id": organization.id,
        "role": Role(role).value,
        "enabled": bool(enabled),
        "perm_client_portal": bool(perm_client_portal),
        "perm_messaging": bool(perm_messaging),
    }


def create_user(
    actor: User, *, email: str, password: str, first_name: str, last_name: str,
    organization: Organization, role: str, middle_name: str = "", enabled: bool = True,
    perm_client_portal: bool = False, perm_messaging: bool = False,
) -> User:
    """Add New user account; an enabled account needs a free licence seat."""
    values = _user_values(email, first_name, middle_name, last_name, organization, role,
                          enabled, perm_client_portal, perm_messaging)
    _check_manages(actor, organization)
    _check_email_free(values["email"], None)
    _check_password(password)
    _check_role_fits(role, organization)
    if values["enabled"]:
        _require_free_seat(organization)
    user = User(password_hash=hash_password(password), organization=organization, **values)
    db.session.add(user)
    _flush(DuplicateEmail)
    audit.record("admin.user_created", actor, obj=user, details=values)
    return user


def update_user(
    actor: User, user: User, expected_version: int | None, *, email: str, first_name: str,
    last_name: str, organization: Organization, role: str, middle_name: str = "",
    enabled: bool = True, perm_client_portal: bool = False, perm_messaging: bool = False,
    password: str | None = None,
) -> dict[str, list[Any]]:
    """Save an edited account; a new password, a new role or disabling ends its sessions."""
    _check_manages(actor, user.organization)
    _check_manages(actor, organization)
    _check_version(user, expected_version)
    values = _user_values(email, first_name, middle_name, last_name, organization, role,
                          enabled, perm_client_portal, perm_messaging)
    if user.id == actor.id and not values["enabled"]:
        raise CannotDisableSelf
    if user.id == actor.id and values["role"] != user.role:
        raise CannotChangeOwnRole
    _check_email_free(values["email"], user)
    if password:
        _check_password(password)
    _check_role_fits(role, organization)
    if values["enabled"] and (not user.enabled or seat_agency_id(organization) != seat_agency_id(user.organization)):
        _require_free_seat(organization)
    changes = _apply(user, values)
    user.organization = organization  # keep the loaded relationship in step with the id
    if password:
        user.password_hash = hash_password(password)
    if not changes and not password:
        return changes
    _flush(DuplicateEmail)
    ends_sessions = bool(password) or "role" in changes or ("enabled" in changes and not user.enabled)
    if ends_sessions:
        end_all_sessions(user)
    audit.record(
        "admin.user_updated", actor, obj=user,
        details={"changes": changes, "password_changed": bool(password), "sessions_ended": ends_sessions},
    )
    return changes


def set_user_enabled(actor: User, user: User, enabled: bool) -> bool:
    """Enable (needs a free seat) or disable (ends every session) an account.

    Asking for the state the account is already in changes nothing (double submit is
    harmless); returns whether anything changed.
    """
    _check_manages(actor, user.organization)
    if not enabled and user.id == actor.id:
        raise CannotDisableSelf
    if user.enabled == enabled:
        return False
    if enabled:
        _require_free_seat(user.organization)
    user.enabled = enabled
    _flush(AdministrationError)
    if not enabled:
        end_all_sessions(user)
    audit.record("admin.user_enabled" if enabled else "admin.user_disabled", actor, obj=user)
    return True
