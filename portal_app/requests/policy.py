"""Who may do what with portal requests: staff of the client's agency send and review them; admins manage
the document categories; a portal account acts on the requests of the client it acts for (not those hidden
from it); and who may see a result: a private request's result stays inside the client's own agency."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..accounts.models import User
from ..authz import Permission, object_rule
from ..clients.models import Client
from ..extensions import db
from ..portal_access.models import ClientAccess, HiddenItem
from .models import ITEM_TYPE, DocumentCategory, DocumentName, PortalRequest


def _client_of(obj: Any) -> Client | None:
    if isinstance(obj, PortalRequest):
        return obj.client
    return obj if isinstance(obj, Client) else None


@object_rule(Permission.STAFF_REQUESTS)
def may_manage_requests(actor: User, obj: Any) -> bool:
    """Staff holding the "Client Portal" permission in an agency with the Client Portal switched on, for its own
    clients and their requests (as the Client Portal Manager)."""
    if not (getattr(actor, "is_staff", False) and actor.organization_id and actor.perm_client_portal
            and actor.organization.module_client_portal):
        return False
    if obj is None:
        return True
    client = _client_of(obj)
    return client is not None and client.organization_id == actor.organization_id


@object_rule(Permission.ADMIN_DOCUMENT_CATEGORIES)
def may_manage_categories(actor: User, obj: Any) -> bool:
    """An agency's administrators, for their own agency's categories."""
    if not (getattr(actor, "is_admin", False) and actor.organization_id):
        return False
    if isinstance(obj, DocumentName):
        obj = obj.category
    return obj is None or (isinstance(obj, DocumentCategory) and obj.organization_id == actor.organization_id)


@object_rule(Permission.REQUEST_RESULT)
def may_see_result(actor: Any, request: Any) -> bool:
    """The result of a request: every staff member of the client's agency; a partner (or staff of another
    organization) only when the client is shared with their organization AND the request is not private."""
    org_id = getattr(actor, "organization_id", None)
    if org_id is None:
        return False
    if request is None:
        return True  # results in general (each one is checked with its request)
    if not isinstance(request, PortalRequest):
        return False
    if org_id == request.client.organization_id:
        return bool(getattr(actor, "is_staff", False))
    if request.private:
        return False
    from ..sharing.models import ClientShare

    return db.session.scalar(select(ClientShare.id).where(
        ClientShare.client_id == request.client_id, ClientShare.organization_id == org_id,
        ClientShare.revoked_at.is_(None)).limit(1)) is not None


@object_rule(Permission.PORTAL_REQUESTS)
def may_use_portal_requests(actor: Any, obj: Any) -> bool:
    """A portal account through its own active access; a request only of that client and not hidden from it."""
    if getattr(actor, "kind", None) != "portal":
        return False
    if obj is None:
        return True
    access, request = obj if isinstance(obj, tuple) else (obj, None)
    if not (isinstance(access, ClientAccess) and access.account_id == actor.id and access.active):
        return False
    if request is None:
        return True
    if not isinstance(request, PortalRequest) or request.client_id != access.client_id:
        return False
    return db.session.scalar(select(HiddenItem.id).where(
        HiddenItem.access_id == access.id, HiddenItem.item_type == ITEM_TYPE,
        HiddenItem.item_id == request.id).limit(1)) is None


def _register_requests() -> None:
    """Requests are items staff may hide from one representative (Client Portal Manager)."""
    from ..documents.records import ITEM_TYPE as DOCUMENT_ITEM
    from ..portal_access.visibility import ItemType, register

    def load(client: Client, item_id: int):
        request = db.session.get(PortalRequest, item_id)
        return request if request is not None and request.client_id == client.id else None

    def items(client: Client) -> list[tuple[int, str]]:
        rows = db.session.scalars(select(PortalRequest).where(PortalRequest.client_id == client.id,
                                                              PortalRequest.status != "cancelled")
                                  .order_by(PortalRequest.requested_at.desc(), PortalRequest.id.desc()).limit(200))
        return [(r.id, f"Request: {r.kind_label} \u201c{r.what('en')}\u201d" if r.what("en")
                 else f"Request: {r.kind_label}") for r in rows]

    def companions(request: PortalRequest) -> list[tuple[str, int]]:
        """The form the request sent to the portal (an assessment, the ROI form) follows it: hidden with it."""
        return [(DOCUMENT_ITEM, request.document_id)] if request.document_id else []

    register(ITEM_TYPE, ItemType("Requests", load, items, companions=companions))


_register_requests()
