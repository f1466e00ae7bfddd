"""Checks shared by Account Administration and the operator's agency pages (they flush, never commit)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ... import locks
from ...extensions import db
from ..models import Organization, User
from ..policy import manages_organization
from ..queries import seat_agency_id, seats_total, seats_used
from ..services import PasswordPolicyError, validate_password
from .errors import (
    AdministrationError,
    DuplicateEmail,
    InvalidPassword,
    OrganizationOutsideAgency,
    SeatLimitReached,
    StaleEdit,
)


def require_free_seat(organization: Organization) -> None:
    """The agency whose seats an account of `organization` uses has one free."""
    locks.serialize(locks.LICENCE_SEATS)  # two admins enabling the last seat at once: one waits, then counts
    agency = db.session.get(Organization, seat_agency_id(organization))
    if agency is None:
        raise OrganizationOutsideAgency
    total = seats_total(agency)
    if seats_used(agency) >= total:
        raise SeatLimitReached(total)


def check_manages(actor: User, organization: Organization) -> None:
    """An administrator acts only on their agency and the partner organizations it manages (S15)."""
    if not manages_organization(actor, organization):
        raise OrganizationOutsideAgency


def check_version(obj: Organization | User, expected_version: int | None) -> None:
    """Optimistic locking (R3): the form must carry the version it was loaded with."""
    if expected_version is None or obj.version_id != expected_version:
        raise StaleEdit


def flush_or_refuse(duplicate: type[AdministrationError]) -> None:
    """Flush; a concurrent edit or a name taken meanwhile becomes a named refusal."""
    try:
        db.session.flush()
    except StaleDataError as err:
        raise StaleEdit from err
    except IntegrityError as err:  # the unique index lost a race with another request
        raise duplicate from err


def apply_changes(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the values that differ; return {field: [old, new]} for the audit trail."""
    changes = {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = [old, value]
            setattr(obj, name, value)
    return changes


def check_email_free(email: str, user: User | None) -> None:
    query = select(User.id).where(func.lower(User.email) == func.lower(email))
    if user is not None:
        query = query.where(User.id != user.id)
    if db.session.scalar(query.limit(1)) is not None:
        raise DuplicateEmail


def check_password(password: str) -> None:
    try:
        validate_password(password)
    except PasswordPolicyError as err:
        raise InvalidPassword(str(err)) from err
