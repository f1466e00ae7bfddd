"""Account Administration of user accounts: create, edit, enable and disable (licence seats, sessions).

Every function takes the acting administrator as `actor`, checks the business rules before changing
anything, records an audit event and flushes; the caller commits.
"""
from __future__ import annotations

from typing import Any

from ... import audit
from ...extensions import db
from ...passwords import hash_password
from ..models import AGENCY_STAFF_ROLES, Organization, Role, User
from ..queries import seat_agency_id
from ..services import end_all_sessions
from .checks import (
    apply_changes,
    check_email_free,
    check_manages,
    check_password,
    check_version,
    flush_or_refuse,
    require_free_seat,
)
from .errors import (
    AdministrationError,
    CannotChangeOwnRole,
    CannotDisableSelf,
    DuplicateEmail,
    RoleOrganizationMismatch,
)


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
    check_manages(actor, organization)
    check_email_free(values["email"], None)
    check_password(password)
    _check_role_fits(role, organization)
    if values["enabled"]:
        require_free_seat(organization)
    user = User(password_hash=hash_password(password), organization=organization, **values)
    db.session.add(user)
    flush_or_refuse(DuplicateEmail)
    audit.record("admin.user_created", actor, obj=user, details=values)
    return user


def update_user(
    actor: User, user: User, expected_version: int | None, *, email: str, first_name: str,
    last_name: str, organization: Organization, role: str, middle_name: str = "",
    enabled: bool = True, perm_client_portal: bool = False, perm_messaging: bool = False,
    password: str | None = None,
) -> dict[str, list[Any]]:
    """Save an edited account; a new password, a new role or disabling ends its sessions."""
    check_manages(actor, user.organization)
    check_manages(actor, organization)
    check_version(user, expected_version)
    values = _user_values(email, first_name, middle_name, last_name, organization, role,
                          enabled, perm_client_portal, perm_messaging)
    if user.id == actor.id and not values["enabled"]:
        raise CannotDisableSelf
    if user.id == actor.id and values["role"] != user.role:
        raise CannotChangeOwnRole
    check_email_free(values["email"], user)
    if password:
        check_password(password)
    _check_role_fits(role, organization)
    if values["enabled"] and (not user.enabled or seat_agency_id(organization) != seat_agency_id(user.organization)):
        require_free_seat(organization)
    changes = apply_changes(user, values)
    user.organization = organization  # keep the loaded relationship in step with the id
    if password:
        user.password_hash = hash_password(password)
    if not changes and not password:
        return changes
    flush_or_refuse(DuplicateEmail)
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
    check_manages(actor, user.organization)
    if not enabled and user.id == actor.id:
        raise CannotDisableSelf
    if user.enabled == enabled:
        return False
    if enabled:
        require_free_seat(user.organization)
    user.enabled = enabled
    flush_or_refuse(AdministrationError)
    if not enabled:
        end_all_sessions(user)
    audit.record("admin.user_enabled" if enabled else "admin.user_disabled", actor, obj=user)
    return True
