"""Invitations to the Client Portal: invite, resend, cancel, revoke an access, and read an emailed link.

Every function takes the acting staff member (or, for the link, the token itself), validates,
audits, enqueues mail and flushes; the view commits.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app

from .. import audit
from ..accounts.models import User
from ..clients.models import Client
from ..clock import as_utc, utcnow
from ..extensions import db
from ..outbox import enqueue_template
from ..plaintext import has_control_characters
from ..tokens import TokenInvalid, make_token, read_token
from .errors import (
    InvalidInvitation,
    InvitationCancelled,
    InvitationExpired,
    InvitationInvalid,
    InvitationNotPending,
    InvitationUsed,
    PortalAccessError,
    SelfAlreadyInvited,
)
from .models import ClientAccess, Invitation, Relationship
from .queries import self_invited_or_active

INVITATION_DAYS = 7
# The database's expires_at decides; the signature's own age limit only stops ancient tokens.
TOKEN_MAX_AGE = int(timedelta(days=INVITATION_DAYS + 1).total_seconds())
MAX_EMAIL = 254
MAX_LABEL = 60


def clean_email(email: str | None, error: type[PortalAccessError]) -> str:
    """One address without spaces or control characters, else `error`."""
    email = (email or "").strip()
    local, at, domain = email.partition("@")
    if (not local or not at or "." not in domain or "@" in domain or len(email) > MAX_EMAIL
            or any(ch.isspace() for ch in email) or has_control_characters(email)):
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


# -- Staff: invitations and access ----------------------------------------------------------------


def invite(actor: User, client: Client, *, email: str, relationship: str, relationship_label: str = "",
           can_sign: bool = False) -> Invitation:
    """Invite the client or a representative to the portal; the emailed link works 7 days, once."""
    email = clean_email(email, InvalidInvitation)
    if relationship not in {r.value for r in Relationship}:
        raise PortalAccessError("Choose who is invited: the client or a representative.")
    label = (relationship_label or "").strip() if relationship == Relationship.REPRESENTATIVE else ""
    if relationship == Relationship.REPRESENTATIVE and not label:
        raise PortalAccessError("Enter the relationship, like mother, father or guardian.",
                                field="relationship_label")
    if len(label) > MAX_LABEL or has_control_characters(label, tabs=False):
        raise PortalAccessError(f"Use at most {MAX_LABEL} characters, without control characters.",
                                field="relationship_label")
    if relationship == Relationship.SELF:
        if self_invited_or_active(client):
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
    if not access.active:
        return False
    access.revoked_at = utcnow()
    access.revoked_by_id = actor.id
    db.session.flush()
    audit.record("portal.access_revoked", actor, obj=access, client_id=access.client_id,
                 details={"account_id": access.account_id})
    return True


# -- The link --------------------------------------------------------------------


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
