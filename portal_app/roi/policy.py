"""Who may see and revoke releases of information: staff of the client's agency; on the portal, an account
acting for the client through its own active access (revoking also needs the access's right to sign)."""
from __future__ import annotations

from typing import Any

from ..authz import Permission, object_rule
from ..clients.models import Client
from ..portal_access.models import ClientAccess
from .models import ReleaseOfInformation


def _client_of(obj: Any) -> Client | None:
    if isinstance(obj, ReleaseOfInformation):
        return obj.client
    return obj if isinstance(obj, Client) else None


@object_rule(Permission.STAFF_ROI)
def may_manage_rois(actor: Any, obj: Client | ReleaseOfInformation | None) -> bool:
    """The Release of Information history of a client of the actor's agency, and its ROIs."""
    if not (getattr(actor, "is_staff", False) and actor.organization_id is not None):
        return False
    if obj is None:
        return True
    client = _client_of(obj)
    return client is not None and client.organization_id == actor.organization_id


def may_revoke_on_portal(access: ClientAccess) -> bool:
    """The client themself, or a representative whose access allows signing for them."""
    return access.relationship_kind == "self" or bool(access.can_sign)


@object_rule(Permission.PORTAL_ROI)
def may_use_portal_rois(actor: Any, obj: Any) -> bool:
    """A portal account acting through its own active access; an ROI only when it is that client's."""
    if getattr(actor, "kind", None) != "portal":
        return False
    if obj is None:
        return True
    access, roi = obj if isinstance(obj, tuple) else (obj, None)
    if not (isinstance(access, ClientAccess) and access.account_id == actor.id and access.active):
        return False
    return roi is None or (isinstance(roi, ReleaseOfInformation) and roi.client_id == access.client_id)
