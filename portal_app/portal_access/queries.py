"""Scoped loaders of the Client Portal Manager: another agency's (or client's) row is "not found"."""
from __future__ import annotations

from ..accounts.models import User
from ..clients.models import Client
from ..errors import NotFound
from ..extensions import db
from .models import ClientAccess, Invitation


class PortalAccessNotFound(NotFound):
    """An invitation or access that is not this client's, or a client outside the actor's agency."""


def _child_of(actor: User, model, client: Client, object_id: int):
    row = db.session.get(model, object_id)
    if (row is None or row.client_id != client.id or not actor.is_staff
            or client.organization_id != actor.organization_id):
        raise PortalAccessNotFound
    return row


def get_invitation_for(actor: User, client: Client, invitation_id: int) -> Invitation:
    """An invitation of this client of the actor's agency; else PortalAccessNotFound (404)."""
    return _child_of(actor, Invitation, client, invitation_id)


def get_access_for(actor: User, client: Client, access_id: int) -> ClientAccess:
    """An access (active or revoked) to this client of the actor's agency; else PortalAccessNotFound (404)."""
    return _child_of(actor, ClientAccess, client, access_id)
