"""Who may see and change what in sharing: staff of the owning agency; partners through an active share."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..accounts.models import Organization, Role, User
from ..authz import Permission, object_rule
from ..clients.models import Client
from ..extensions import db
from ..roi.queries import agency_today, share_roi_in_force
from .models import ClientShare, Contact, ServiceProvider


def staff_may_see_client(actor: User, client: Client) -> bool:
    """Staff of the agency that owns the client."""
    return actor.is_staff and actor.enabled and client.organization_id == actor.organization_id


def active_share(actor: User, client_id: int) -> ClientShare | None:
    """The active share of this client with the partner's organization, if sharing is still enabled."""
    if actor.role != Role.PARTNER:
        return None
    return db.session.scalar(
        select(ClientShare)
        .join(Organization, Organization.id == ClientShare.organization_id)
        .where(
            ClientShare.client_id == client_id,
            ClientShare.organization_id == actor.organization_id,
            ClientShare.active,
            Organization.sharing_enabled.is_(True),
            share_roi_in_force(agency_today()),  # a share relying on an ROI ends with it, on the next request
        )
    )


def partner_may_edit_contact(actor: User, contact: Contact) -> bool:
    """A partner edits contacts of its own organization, and only until they are reviewed."""
    return (
        actor.role == Role.PARTNER
        and contact.organization_id == actor.organization_id
        and contact.is_third_party
        and contact.reviewed_at is None
    )


def _client_of(obj: Any) -> Client | None:
    """The client an object of this domain belongs to (a client is its own)."""
    if isinstance(obj, Client):
        return obj
    if isinstance(obj, (ClientShare, Contact, ServiceProvider)):
        return obj.client
    return None


@object_rule(Permission.STAFF_SHARING)
def may_manage_sharing(actor: User, obj: Client | ClientShare | ServiceProvider | None) -> bool:
    """The client plan and shares of a client of the actor's agency."""
    if obj is None:
        return True
    client = _client_of(obj)
    return client is not None and not isinstance(obj, Contact) and staff_may_see_client(actor, client)


@object_rule(Permission.STAFF_CONTACTS)
def may_manage_contacts(actor: User, obj: Client | Contact | None) -> bool:
    """The client log and contacts of a client of the actor's agency (reviewing: third-party contacts)."""
    if obj is None:
        return True
    client = _client_of(obj)
    return client is not None and isinstance(obj, (Client, Contact)) and staff_may_see_client(actor, client)


@object_rule(Permission.PARTNER_CLIENTS)
def may_see_shared_client(actor: User, client: Client | None) -> bool:
    """A client actively shared with the partner's organization (sharing still enabled)."""
    return client is None or (isinstance(client, Client) and active_share(actor, client.id) is not None)


@object_rule(Permission.PARTNER_CONTACTS)
def may_record_partner_contact(actor: User, obj: Client | Contact | None) -> bool:
    """Record (client) or edit (own unreviewed contact) while the client is shared with the organization."""
    if obj is None:
        return True
    if isinstance(obj, Contact):
        return partner_may_edit_contact(actor, obj) and active_share(actor, obj.client_id) is not None
    return isinstance(obj, Client) and active_share(actor, obj.id) is not None
