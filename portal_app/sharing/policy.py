"""Who may see and change what in sharing: staff of the owning agency; partners through an active share."""
from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import Organization, User
from ..clients.models import Client
from ..extensions import db
from .models import ClientShare, Contact


def staff_may_see_client(actor: User, client: Client) -> bool:
    """Staff of the agency that owns the client."""
    return actor.is_staff and actor.enabled and client.organization_id == actor.organization_id


def active_share(actor: User, client_id: int) -> ClientShare | None:
    """The active share of this client with the partner's organization, if sharing is still enabled."""
    if actor.is_staff:
        return None
    return db.session.scalar(
        select(ClientShare)
        .join(Organization, Organization.id == ClientShare.organization_id)
        .where(
            ClientShare.client_id == client_id,
            ClientShare.organization_id == actor.organization_id,
            ClientShare.revoked_at.is_(None),
            Organization.sharing_enabled.is_(True),
        )
    )


def partner_may_edit_contact(actor: User, contact: Contact) -> bool:
    """A partner edits contacts of its own organization, and only until they are reviewed."""
    return (
        not actor.is_staff
        and contact.organization_id == actor.organization_id
        and contact.is_third_party
        and contact.reviewed_at is None
    )


def staff_may_review(actor: User, contact: Contact) -> bool:
    return contact.is_third_party and staff_may_see_client(actor, contact.client)
