"""Registration on the Client Portal: a new account from an invitation, or the family login (an existing one).

The person has no session yet: the pending invitation itself is the authority. Functions validate,
audit and flush; the view commits.
"""
from __future__ import annotations

import re

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..accounts.services import PasswordPolicyError
from ..clock import utcnow
from ..extensions import db
from ..passwords import hash_password
from ..plaintext import has_control_characters
from .accounts import validate_portal_password
from .errors import (
    AlreadyActsForClient,
    FullNameRejected,
    InvitationUsed,
    NotificationEmailRejected,
    OwnRecordTaken,
    PasswordRejected,
    UsernameLooksLikeEmail,
    UsernameRejected,
    UsernameTaken,
)
from .hiding import hide_from_new_access
from .invitations import clean_email, pending_invitation
from .models import MAX_FULL_NAME, ClientAccess, Invitation, PortalAccount, Relationship

USERNAME_RE = re.compile(r"[A-Za-z0-9._-]{3,32}")
SITE_PORTAL = "portal"


def check_username(username: str) -> str:
    """The chosen username, or a refusal saying why it cannot be used (it can never change)."""
    username = (username or "").strip()
    if "@" in username:
        raise UsernameLooksLikeEmail
    if not USERNAME_RE.fullmatch(username):
        raise UsernameRejected
    taken = db.session.scalar(
        select(func.count(PortalAccount.id)).where(func.lower(PortalAccount.username) == username.lower())
    )
    if taken:
        raise UsernameTaken
    return username


def _check_password(password: str) -> None:
    try:
        validate_portal_password(password or "")
    except PasswordPolicyError:
        raise PasswordRejected from None


def _claim(invitation: Invitation, account: PortalAccount) -> None:
    """Mark the invitation accepted, only if nobody did it first (a double submit): single use."""
    now = utcnow()
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.nonce == invitation.nonce,
               Invitation.accepted_at.is_(None), Invitation.cancelled_at.is_(None))
        .values(accepted_at=now, accepted_account_id=account.id),
        execution_options={"synchronize_session": False},
    ).rowcount
    if claimed != 1:
        raise InvitationUsed
    db.session.expire(invitation, ["accepted_at", "accepted_account_id"])


def _grant(invitation: Invitation, account: PortalAccount) -> ClientAccess:
    access = ClientAccess(account=account, client_id=invitation.client_id,
                          relationship_kind=invitation.relationship_kind,
                          relationship_label=invitation.relationship_label, can_sign=invitation.can_sign,
                          granted_by_id=invitation.invited_by_id, granted_at=utcnow())
    db.session.add(access)
    db.session.flush()
    hide_from_new_access(access)  # what was emailed to one other representative stays theirs only
    return access


def check_full_name(full_name: str | None) -> str:
    """The person's name as typed (spaces tidied): required, at most MAX_FULL_NAME characters, plain text."""
    name = " ".join((full_name or "").split())
    if not name or len(name) > MAX_FULL_NAME or has_control_characters(name):
        raise FullNameRejected
    return name


def register_account(invitation: Invitation, *, username: str, password: str, email: str,
                     full_name: str) -> PortalAccount:
    """Create a portal account from a pending invitation, with access to the invitation's client."""
    pending_invitation(invitation.id, invitation.nonce)
    full_name = check_full_name(full_name)
    username = check_username(username)
    _check_password(password)
    email = clean_email(email, NotificationEmailRejected)
    language = invitation.client.preferred_language if invitation.client.preferred_language in ("en", "es") else "en"
    account = PortalAccount(username=username, full_name=full_name, email=email,
                            password_hash=hash_password(password), language=language, created_at=utcnow())
    try:
        with db.session.begin_nested():  # two submits at once: one account, the other a refusal
            db.session.add(account)
            try:
                db.session.flush()
            except IntegrityError:
                raise UsernameTaken from None
            _claim(invitation, account)
            access = _grant(invitation, account)
    except IntegrityError:
        raise InvitationUsed from None
    audit.record("portal.account_registered", account, site=SITE_PORTAL, obj=account,
                 client_id=invitation.client_id, details={"invitation_id": invitation.id, "access_id": access.id})
    return account


def accept_with_existing_account(invitation: Invitation, account: PortalAccount) -> ClientAccess:
    """The family login: the invitation's client is added to an account the person already holds."""
    pending_invitation(invitation.id, invitation.nonce)
    already = db.session.scalar(
        select(func.count(ClientAccess.id)).where(
            ClientAccess.account_id == account.id, ClientAccess.client_id == invitation.client_id,
            ClientAccess.active)
    )
    if already:
        raise AlreadyActsForClient
    if invitation.relationship_kind == Relationship.SELF and any(a.active and a.is_self for a in account.accesses):
        raise OwnRecordTaken  # one account is one person: their own record at most once
    try:
        with db.session.begin_nested():
            _claim(invitation, account)
            access = _grant(invitation, account)
    except IntegrityError:
        raise AlreadyActsForClient from None
    audit.record("portal.invitation_accepted", account, site=SITE_PORTAL, obj=access,
                 client_id=invitation.client_id, details={"invitation_id": invitation.id})
    return access
