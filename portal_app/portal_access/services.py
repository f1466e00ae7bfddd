"""Client Portal Manager: invitations, registration, the family login, revoking access, hiding items.

Every function takes the acting person (a staff member, or the invitation itself for someone who has
no account yet), validates, audits, enqueues mail and flushes; the view commits. Refusals seen on the
portal are translated (lazy_gettext); the staff site is English only.
"""
from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import audit
from ..accounts.models import User
from ..accounts.services import PasswordPolicyError
from ..clients.models import Client
from ..clock import as_utc, utcnow
from ..errors import DomainError
from ..extensions import db
from ..outbox import enqueue_template
from ..passwords import hash_password
from ..tokens import TokenInvalid, make_token, read_token
from .accounts import validate_portal_password
from .models import ClientAccess, HiddenItem, Invitation, PortalAccount, Relationship
from .visibility import ITEM_TYPES

INVITATION_DAYS = 7
# The database's expires_at decides; the signature's own age limit only stops ancient tokens.
TOKEN_MAX_AGE = int(timedelta(days=INVITATION_DAYS + 1).total_seconds())
USERNAME_RE = re.compile(r"[A-Za-z0-9._-]{3,32}")
MAX_EMAIL = 254
MAX_LABEL = 60
SITE_PORTAL = "portal"


class PortalAccessError(DomainError):
    """A Client Portal rule refused the change; nothing was saved."""

    default_message = "This change could not be made."


# -- Staff-side refusals (the staff site is English only) -----------------------------------------


class InvalidInvitation(PortalAccessError):
    field = "email"
    default_message = "Enter a valid email address, like name@example.org."


class SelfAlreadyInvited(PortalAccessError):
    status = 409
    field = "email"
    default_message = ("The client already has a pending invitation or an account. Resend or cancel the "
                       "pending invitation, or revoke the account's access first.")


class InvitationNotPending(PortalAccessError):
    status = 409
    default_message = "This invitation was already accepted or cancelled."


class NotARepresentative(PortalAccessError):
    status = 422
    default_message = "Items can only be hidden from a representative, never from the client themself."


class UnknownItem(PortalAccessError):
    status = 404
    default_message = "That item does not belong to this client."


# -- Refusals seen on /links and /portal (translated) ---------------------------------------------


class InvitationProblem(PortalAccessError):
    """The invitation link cannot be used; each subclass says what to do next."""

    status = 400
    kind = "invalid"  # which next step the page explains


class InvitationInvalid(InvitationProblem):
    status = 400
    default_message = _l("This invitation link is not valid. Please contact your agency and ask for a new invitation.")


class InvitationExpired(InvitationProblem):
    status = 410
    kind = "expired"
    default_message = _l("This invitation link has expired. Please ask your agency to send it again.")


class InvitationUsed(InvitationProblem):
    status = 410
    kind = "used"
    default_message = _l("This invitation was already used to create an account. Sign in with your username and password.")


class InvitationCancelled(InvitationProblem):
    status = 410
    kind = "cancelled"
    default_message = _l("This invitation was cancelled. Please contact your agency if you need a new one.")


class UsernameRejected(PortalAccessError):
    field = "username"
    default_message = _l("Use 3 to 32 letters, numbers, dots, underscores or hyphens, without spaces.")


class UsernameLooksLikeEmail(UsernameRejected):
    default_message = _l("A username cannot be an email address. Usernames can never be changed, but email "
                         "addresses do change. Choose a name without @.")


class UsernameTaken(UsernameRejected):
    default_message = _l("This username is already taken. Please choose another one.")


class PasswordRejected(PortalAccessError):
    field = "password"
    default_message = _l("Use 8 to 128 characters for your password.")


class NotificationEmailRejected(PortalAccessError):
    field = "email"
    default_message = _l("Enter a valid email address, like name@example.org.")


class OwnRecordTaken(PortalAccessError):
    status = 409
    default_message = _l(
        "This invitation is for someone's own record, and your account already holds your own record. "
        "Create a new account for this person instead."
    )


class AlreadyActsForClient(PortalAccessError):
    status = 409
    default_message = _l("Your account can already act for this person. Sign in to see their record.")


# -- Helpers --------------------------------------------------------------------------------------


def _clean_email(email: str | None, error: type[PortalAccessError]) -> str:
    email = (email or "").strip()
    local, at, domain = email.partition("@")
    if (not local or not at or "." not in domain or "@" in domain or len(email) > MAX_EMAIL
            or any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in email)):
        raise error
    return email


def _agency_name(client: Client) -> str:
    return client.organization.name


def invitation_token(invitation: Invitation) -> str:
    """The signed token of the invitation's current link: ids and a nonce, nothing personal (S14)."""
    return make_token("invite", {"i": invitation.id, "n": invitation.nonce})


def invitation_link(invitation: Invitation) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/links/invite/{invitation_token(invitation)}"


def _send(invitation: Invitation) -> None:
    """The invitation email: the agency's name and the link only, never the client's name (S14)."""
    enqueue_template(invitation.email, "portal_invitation", language=invitation.client.preferred_language,
                     agency_name=_agency_name(invitation.client), link=invitation_link(invitation))


def _renew(invitation: Invitation) -> None:
    now = utcnow()
    invitation.nonce = secrets.token_hex(16)
    invitation.last_sent_at = now
    invitation.expires_at = now + timedelta(days=INVITATION_DAYS)


def _pending_self(client: Client) -> bool:
    """A live "self" invitation or an active "self" access exists for the client."""
    invited = db.session.scalar(
        select(func.count(Invitation.id)).where(
            Invitation.client_id == client.id,
            Invitation.relationship_kind == Relationship.SELF,
            Invitation.accepted_at.is_(None),
            Invitation.cancelled_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    )
    has_access = db.session.scalar(
        select(func.count(ClientAccess.id)).where(
            ClientAccess.client_id == client.id,
            ClientAccess.relationship_kind == Relationship.SELF,
            ClientAccess.revoked_at.is_(None),
        )
    )
    return bool(invited or has_access)


# -- Staff: invitations and access ----------------------------------------------------------------


def invite(actor: User, client: Client, *, email: str, relationship: str, relationship_label: str = "",
           can_sign: bool = False) -> Invitation:
    """Invite the client or a representative to the portal; the emailed link works 7 days, once."""
    email = _clean_email(email, InvalidInvitation)
    if relationship not in {r.value for r in Relationship}:
        raise PortalAccessError("Choose who is invited: the client or a representative.")
    label = (relationship_label or "").strip() if relationship == Relationship.REPRESENTATIVE else ""
    if relationship == Relationship.REPRESENTATIVE and not label:
        raise PortalAccessError("Enter the relationship, like mother, father or guardian.",
                                field="relationship_label")
    if len(label) > MAX_LABEL or any(unicodedata.category(ch) == "Cc" for ch in label):
        raise PortalAccessError(f"Use at most {MAX_LABEL} characters, without control characters.",
                                field="relationship_label")
    if relationship == Relationship.SELF:
        if _pending_self(client):
            raise SelfAlreadyInvited
        can_sign = True  # the client always signs their own documents
    invitation = Invitation(client=client, email=email, relationship_kind=relationship, relationship_label=label,
                            can_sign=bool(can_sign), invited_by_id=actor.id, created_at=utcnow())
    _renew(invitation)
    db.session.add(invitation)
    db.session.flush()
    _send(invitation)
    audit.record("portal.invitation_sent", actor, obj=invitation, client_id=client.id,
                 details={"relationship": relationship, "can_sign": invitation.can_sign})
    return invitation


def resend(actor: User, invitation: Invitation) -> Invitation:
    """Send the invitation again with a new link valid 7 days; older links stop working."""
    if invitation.accepted_at is not None or invitation.cancelled_at is not None:
        raise InvitationNotPending
    _renew(invitation)
    db.session.flush()
    _send(invitation)
    audit.record("portal.invitation_resent", actor, obj=invitation, client_id=invitation.client_id)
    return invitation


def cancel(actor: User, invitation: Invitation) -> bool:
    """Cancel a pending invitation; harmless when already cancelled. True when this call cancelled it."""
    if invitation.cancelled_at is not None:
        return False
    if invitation.accepted_at is not None:
        raise InvitationNotPending
    invitation.cancelled_at = utcnow()
    invitation.cancelled_by_id = actor.id
    db.session.flush()
    audit.record("portal.invitation_cancelled", actor, obj=invitation, client_id=invitation.client_id)
    return True


def revoke_access(actor: User, access: ClientAccess) -> bool:
    """The account stops acting for the client on its next request. True when this call revoked it."""
    if access.revoked_at is not None:
        return False
    access.revoked_at = utcnow()
    access.revoked_by_id = actor.id
    db.session.flush()
    audit.record("portal.access_revoked", actor, obj=access, client_id=access.client_id,
                 details={"account_id": access.account_id})
    return True


def client_accesses(client: Client) -> list[ClientAccess]:
    """The accounts that may act for the client now: the client first, then representatives."""
    return list(db.session.scalars(
        select(ClientAccess)
        .options(joinedload(ClientAccess.account))
        .where(ClientAccess.client_id == client.id, ClientAccess.revoked_at.is_(None))
        .order_by((ClientAccess.relationship_kind == Relationship.SELF).desc(), ClientAccess.granted_at,
                  ClientAccess.id)
    ).unique())


def open_invitations(client: Client) -> list[Invitation]:
    """Invitations neither accepted nor cancelled (pending or expired), newest first."""
    return list(db.session.scalars(
        select(Invitation)
        .where(Invitation.client_id == client.id, Invitation.accepted_at.is_(None),
               Invitation.cancelled_at.is_(None))
        .order_by(Invitation.last_sent_at.desc(), Invitation.id.desc())
    ))


# -- The link and registration --------------------------------------------------------------------


def pending_invitation(invitation_id: object, nonce: object) -> Invitation:
    """The invitation a link (or its hand-off) names, if it may still be accepted; a named error otherwise."""
    if not isinstance(invitation_id, int) or not isinstance(nonce, str):
        raise InvitationInvalid
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not secrets.compare_digest(invitation.nonce, nonce):
        raise InvitationInvalid
    if invitation.accepted_at is not None:
        raise InvitationUsed
    if invitation.cancelled_at is not None:
        raise InvitationCancelled
    if as_utc(invitation.expires_at) <= utcnow():
        raise InvitationExpired
    if not invitation.client.organization.module_client_portal:
        raise InvitationCancelled
    return invitation


def redeem(token: str) -> Invitation:
    """The pending invitation of an emailed link; InvitationInvalid/Expired/Used/Cancelled otherwise."""
    try:
        payload = read_token("invite", token, TOKEN_MAX_AGE)
    except TokenInvalid:  # TokenExpired included: our own expiry passed long before
        raise InvitationInvalid from None
    if not isinstance(payload, dict):
        raise InvitationInvalid
    return pending_invitation(payload.get("i"), payload.get("n"))


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
    return access


def register_account(invitation: Invitation, *, username: str, password: str, email: str) -> PortalAccount:
    """Create a portal account from a pending invitation, with access to the invitation's client."""
    pending_invitation(invitation.id, invitation.nonce)
    username = check_username(username)
    _check_password(password)
    email = _clean_email(email, NotificationEmailRejected)
    language = invitation.client.preferred_language if invitation.client.preferred_language in ("en", "es") else "en"
    account = PortalAccount(username=username, email=email, password_hash=hash_password(password),
                            language=language, created_at=utcnow())
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
            ClientAccess.revoked_at.is_(None))
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


# -- Per-representative visibility ----------------------------------------------------------------


def _hidden_row(access: ClientAccess, item_type: str, item_id: int) -> HiddenItem | None:
    return db.session.scalar(select(HiddenItem).where(
        HiddenItem.access_id == access.id, HiddenItem.item_type == item_type, HiddenItem.item_id == item_id))


def _check_item(access: ClientAccess, item_type: str, item_id: int) -> None:
    if access.is_self:
        raise NotARepresentative
    kind = ITEM_TYPES.get(item_type)
    if kind is None or kind.load(access.client, item_id) is None:
        raise UnknownItem
    if item_type == "client_access" and item_id == access.id:
        raise UnknownItem  # a representative always sees their own access


def hide_item(actor: User, access: ClientAccess, item_type: str, item_id: int) -> bool:
    """Hide one item of the client from this representative only. True when newly hidden."""
    _check_item(access, item_type, item_id)
    if _hidden_row(access, item_type, item_id) is not None:
        return False
    row = HiddenItem(access_id=access.id, item_type=item_type, item_id=item_id, hidden_by_id=actor.id,
                     hidden_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return False  # the same press twice at once: hidden either way
    audit.record("portal.item_hidden", actor, obj=row, client_id=access.client_id,
                 details={"access_id": access.id, "item_type": item_type, "item_id": item_id})
    return True


def show_item(actor: User, access: ClientAccess, item_type: str, item_id: int) -> bool:
    """Show a hidden item to this representative again. True when it was hidden."""
    _check_item(access, item_type, item_id)
    row = _hidden_row(access, item_type, item_id)
    if row is None:
        return False
    audit.record("portal.item_shown", actor, obj=row, client_id=access.client_id,
                 details={"access_id": access.id, "item_type": item_type, "item_id": item_id})
    db.session.delete(row)
    db.session.flush()
    return True


def hidden_items(client: Client) -> set[tuple[int, str, int]]:
    """(access id, item type, item id) of every item hidden from a representative of the client."""
    rows = db.session.execute(
        select(HiddenItem.access_id, HiddenItem.item_type, HiddenItem.item_id)
        .join(ClientAccess, ClientAccess.id == HiddenItem.access_id)
        .where(ClientAccess.client_id == client.id)
    )
    return {(a, t, i) for a, t, i in rows}
