"""Portal accounts: sign-in, passwords, password reset, settings (S1-S3, S5); whom they act for: `queries`."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update

from .. import audit, outbox
from ..accounts.services import (  # sign-out and own password change: one implementation for both kinds
    PORTAL_MIN_PASSWORD,
    AccountLocked,
    InvalidCredentials,
    PasswordPolicyError,
    change_password,
    end_all_sessions,
    record_sign_out,
    settle_attempt,
    validate_password,
)
from ..clock import utcnow
from ..extensions import db
from ..passwords import hash_password, verify_password
from ..tokens import TokenInvalid, make_token, read_token
from .models import PortalAccount

__all__ = [
    "AccountLocked", "InvalidCredentials", "PasswordPolicyError", "PORTAL_MIN_PASSWORD", "RESET_MAX_AGE",
    "authenticate", "validate_portal_password", "change_password", "request_password_reset",
    "read_reset_token", "reset_handoff", "account_for_reset", "reset_password", "update_settings",
    "end_all_sessions", "record_sign_out",
]

RESET_MAX_AGE = 3600  # a reset link works for one hour
RESET_EMAIL_INTERVAL = timedelta(minutes=15)  # at most one reset email per account in this time
SITE = "portal"


def validate_portal_password(password: str) -> None:
    """Length only, 8 to 128 characters (S1); raises PasswordPolicyError."""
    validate_password(password, PORTAL_MIN_PASSWORD)


def find_account(username: str) -> PortalAccount | None:
    """The account with this username, whatever its case."""
    return db.session.scalar(
        select(PortalAccount).where(func.lower(PortalAccount.username) == username.strip().lower())
    )


def authenticate(username: str, password: str) -> PortalAccount:
    """Check a portal sign-in; counts failures and locks out (flushes, caller commits).

    Unknown name, wrong password, disabled or locked: InvalidCredentials (AccountLocked is a
    subclass), so the view shows one message for all.
    """
    account = find_account(username) if username else None
    matches = verify_password(account.password_hash if account else None, password)  # dummy hash when unknown
    if account is None or not account.enabled:
        audit.record("portal.login_failed", site=SITE, details={"username": (username or "").strip().lower()[:32]})
        raise InvalidCredentials
    settle_attempt(account, password, matches, site=SITE, events="portal")
    return account


# --- Password reset (single use: the token carries a fingerprint of the hash and the epoch) ------


def _fingerprint(account: PortalAccount) -> str:
    return hashlib.sha256(f"{account.password_hash}:{account.session_epoch}".encode()).hexdigest()[:16]


def reset_handoff(account: PortalAccount) -> dict:
    """What a reset link (and the hand-off cookie it is exchanged for) carries: the account and a fingerprint."""
    return {"a": account.id, "f": _fingerprint(account)}


def account_for_reset(payload: object) -> PortalAccount | None:
    """The account of a reset payload, or None once the password or the sessions changed since (single use)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), int):
        return None
    account = db.session.get(PortalAccount, payload["a"])
    if account is None or not account.enabled or payload.get("f") != _fingerprint(account):
        return None
    return account


def reset_token(account: PortalAccount) -> str:
    """The signed token of a reset link for this account."""
    return make_token("reset", reset_handoff(account))


def _claim_reset_email(account: PortalAccount) -> bool:
    """Whether a reset email may go to this account now (none in the last 15 minutes); claims the slot.

    One conditional UPDATE, so two requests at the same moment cannot both send.
    """
    now = utcnow()
    claimed = db.session.execute(
        update(PortalAccount)
        .where(PortalAccount.id == account.id,
               or_(PortalAccount.reset_email_sent_at.is_(None),
                   PortalAccount.reset_email_sent_at <= now - RESET_EMAIL_INTERVAL))
        .values(reset_email_sent_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return claimed == 1


def request_password_reset(email_or_username: str) -> int:
    """Email a reset link to each account the words name; reveals nothing to the caller.

    A username names one account; an email address names every account that uses it (a parent may
    use one address for several). One email per account, naming its username (never a client's name),
    and at most one per account every 15 minutes however often it is asked (the page answers the
    same either way). Returns how many emails were queued (for tests; the view never shows it).
    """
    words = email_or_username.strip().lower()
    if not words:
        return 0
    if "@" in words:
        found = db.session.scalars(
            select(PortalAccount)
            .where(func.lower(PortalAccount.email) == words, PortalAccount.enabled.is_(True))
            .order_by(PortalAccount.id)
        ).all()
    else:
        account = find_account(words)
        found = [account] if account is not None and account.enabled else []
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    queued = 0
    for account in found:
        if not _claim_reset_email(account):
            audit.record("portal.reset_requested_again", site=SITE, obj=account)
            continue
        outbox.enqueue_template(
            account.email,
            "portal_reset",
            username=account.username,
            link=f"{base}/links/reset/{reset_token(account)}",
            language=account.language,
        )
        audit.record("portal.reset_requested", site=SITE, obj=account)
        queued += 1
    if not found:
        audit.record("portal.reset_requested_unknown", site=SITE)
    return queued


def read_reset_token(token: str) -> PortalAccount:
    """The account a reset link is for; TokenExpired after an hour, TokenInvalid if tampered or used."""
    account = account_for_reset(read_token("reset", token, RESET_MAX_AGE))
    if account is None:
        raise TokenInvalid
    return account


def reset_password(account: PortalAccount, new: str) -> None:
    """Set a new password from a reset link; ends every session (and so every older link)."""
    validate_portal_password(new)
    account.password_hash = hash_password(new)
    account.failed_logins = 0
    account.locked_until = None
    end_all_sessions(account)
    audit.record("portal.password_reset", account, site=SITE, obj=account)


def update_settings(account: PortalAccount, email: str, language: str) -> None:
    """Email for notifications and the language of the portal and of its emails."""
    if language not in ("en", "es"):
        raise ValueError("language must be en or es")
    account.email = email.strip()
    account.language = language
    db.session.flush()
    audit.record("portal.settings_changed", account, site=SITE, obj=account)
