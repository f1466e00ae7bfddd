"""Sign-in, passwords and sessions of staff and partner users (S1, S2, S3); sign-out and own password change
of portal accounts too (one implementation for both kinds of person)."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from .. import audit, transactions
from ..clock import as_utc, utcnow
from ..extensions import db
from ..passwords import MAX_PASSWORD, hash_password, needs_rehash, verify_password
from .models import User

STAFF_MIN_PASSWORD = 12
PORTAL_MIN_PASSWORD = 8  # S1 for portal accounts


class InvalidCredentials(Exception):
    """Unknown email, wrong password, wrong site or disabled account: one message for all."""


class AccountLocked(InvalidCredentials):
    """Too many failures in a row: the account waits out a lockout."""


class AgencyDisabled(Exception):
    """The right password, but the deployment operator disabled the person's agency: told plainly."""


class PasswordPolicyError(ValueError):
    """The new password does not meet S1."""


def validate_password(password: str, minimum: int = STAFF_MIN_PASSWORD) -> None:
    """Length only (no composition rules), as S1 asks."""
    if len(password) < minimum:
        raise PasswordPolicyError(f"Use at least {minimum} characters.")
    if len(password) > MAX_PASSWORD:
        raise PasswordPolicyError(f"Use at most {MAX_PASSWORD} characters.")


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str, *, site: str) -> User:
    """Check a staff or partner sign-in; counts failures and locks out (flushes, caller commits)."""
    user = find_user_by_email(email)
    matches = verify_password(user.password_hash if user else None, password)
    if user is None or user.site != site or not user.enabled:
        audit.record("auth.login_failed", site=site, details={"email": email.strip().lower()[:254]})
        raise InvalidCredentials
    if matches and not user.organization.enabled:  # only after the right password: a stranger learns nothing
        audit.record("auth.login_refused", site=site, obj=user, details={"reason": "agency_disabled"})
        raise AgencyDisabled
    settle_attempt(user, password, matches, site=site, events="auth")
    return user


def settle_attempt(person, password: str, matches: bool, *, site: str, events: str) -> None:
    """Lockout and failure bookkeeping shared by every sign-in (S2), for a User or a PortalAccount.

    Locked: AccountLocked whatever the password. Wrong password: one more failure, a temporary
    lockout at the threshold, InvalidCredentials. Right: counters cleared, hash upgraded if needed.
    Audit events are named `<events>.login`, `.login_failed`, `.login_locked`, `.lockout`.
    """
    checked_hash = person.password_hash
    # The password was checked without any lock (SQLite: in a read transaction). Now take the row:
    # two sign-ins of one person at once (two tabs, a double submit) then follow each other instead
    # of the second failing on the row's version (PostgreSQL) or on a stale read (SQLite).
    transactions.start_writing()
    db.session.refresh(person, with_for_update=True)
    if person.password_hash != checked_hash:  # changed meanwhile: check against the current one
        matches = verify_password(person.password_hash, password)
    now = utcnow()
    if person.locked_until is not None and as_utc(person.locked_until) > now:
        audit.record(f"{events}.login_locked", site=site, obj=person)
        raise AccountLocked
    if not matches:
        person.failed_logins += 1
        if person.failed_logins >= current_app.config["LOGIN_LOCKOUT_THRESHOLD"]:
            person.failed_logins = 0
            person.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])
            audit.record(f"{events}.lockout", site=site, obj=person)
        audit.record(f"{events}.login_failed", site=site, obj=person)
        db.session.flush()
        raise InvalidCredentials
    person.failed_logins = 0
    person.locked_until = None
    person.last_login_at = now
    if needs_rehash(person.password_hash):
        person.password_hash = hash_password(password)
    audit.record(f"{events}.login", person, site=site, obj=person)
    db.session.flush()


def end_all_sessions(person) -> None:
    """Every cookie this person (a User or a PortalAccount) holds stops working (S3)."""
    person.session_epoch += 1
    db.session.flush()


def _is_portal(person) -> bool:
    return person.site == "portal"


def record_sign_out(person, site: str) -> None:
    """Sign-out ends every session of the person, a User or a PortalAccount (S3)."""
    end_all_sessions(person)
    audit.record("portal.logout" if _is_portal(person) else "auth.logout", person, site=site, obj=person)


def change_password(person, current: str, new: str) -> None:
    """Own password change (a User or a PortalAccount): needs the current one; ends the person's other sessions."""
    if not verify_password(person.password_hash, current):
        raise InvalidCredentials
    portal = _is_portal(person)
    validate_password(new, PORTAL_MIN_PASSWORD if portal else STAFF_MIN_PASSWORD)
    person.password_hash = hash_password(new)
    end_all_sessions(person)
    if portal:
        audit.record("portal.password_changed", person, site="portal", obj=person)
    else:
        audit.record("account.password_changed", person, obj=person)
