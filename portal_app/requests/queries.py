"""Reads of requests, scoped in the query itself: staff to their agency's clients (S15), the portal to the
acted-for client minus what is hidden from this representative. Lists load what they show in a fixed
number of queries (P3)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from ..clients.models import Client
from ..documents.models import FormTemplateVersion
from ..documents.records import Document
from ..extensions import db
from ..paging import Page, fetch_page
from ..portal_access.models import ClientAccess
from ..portal_access.policy import visible_to
from .errors import CategoryNotFound, RequestNotFound
from .models import (
    DONE,
    ITEM_TYPE,
    DocumentCategory,
    DocumentName,
    PortalRequest,
    RequestBundle,
    RequestStatus,
)

PER_PAGE = 50


def _agency_id(actor: Any) -> int:
    return actor.organization_id if getattr(actor, "is_staff", False) and actor.organization_id else -1


def _loaded(stmt):
    return stmt.options(
        joinedload(PortalRequest.requested_by), joinedload(PortalRequest.category),
        joinedload(PortalRequest.document_name), joinedload(PortalRequest.received_file),
        joinedload(PortalRequest.bundle),
        joinedload(PortalRequest.document).joinedload(Document.template_version)
        .joinedload(FormTemplateVersion.template))


def client_requests(client: Client, page: Any = 1) -> Page[PortalRequest]:
    """Every request of the client, newest first, paged; what each row shows is loaded with it."""
    stmt = _loaded(select(PortalRequest).where(PortalRequest.client_id == client.id)
                   .order_by(PortalRequest.requested_at.desc(), PortalRequest.id.desc()))
    return fetch_page(stmt, page, PER_PAGE)


def bundle_progress(bundle_ids: list[int]) -> dict[int, tuple[int, int]]:
    """bundle id -> (done, total), cancelled requests left out; one query."""
    if not bundle_ids:
        return {}
    rows = db.session.execute(
        select(PortalRequest.bundle_id, func.count(),
               func.sum(func.cast(PortalRequest.status.in_([str(s) for s in DONE]), db.Integer)))
        .where(PortalRequest.bundle_id.in_(bundle_ids), PortalRequest.status != RequestStatus.CANCELLED)
        .group_by(PortalRequest.bundle_id))
    return {bundle_id: (int(done or 0), int(total)) for bundle_id, total, done in rows}


def get_request_for(actor: Any, request_id: int) -> PortalRequest:
    """A request of a client of the actor's agency; any other raises RequestNotFound (404)."""
    request = db.session.scalar(_loaded(select(PortalRequest).join(Client, Client.id == PortalRequest.client_id)
                                        .where(PortalRequest.id == request_id,
                                               Client.organization_id == _agency_id(actor))))
    if request is None:
        raise RequestNotFound
    return request


def latest_location(client: Client) -> PortalRequest | None:
    """The client's most recent location sent through the portal (fulfilled or accepted)."""
    return db.session.scalar(select(PortalRequest).where(
        PortalRequest.client_id == client.id, PortalRequest.kind == "location",
        PortalRequest.status.in_([str(s) for s in DONE])).order_by(PortalRequest.fulfilled_at.desc()).limit(1))


def get_category_for(actor: Any, category_id: int) -> DocumentCategory:
    category = db.session.scalar(select(DocumentCategory).where(
        DocumentCategory.id == category_id, DocumentCategory.organization_id == _agency_id(actor))
        .options(selectinload(DocumentCategory.names)))
    if category is None:
        raise CategoryNotFound
    return category


def get_name_for(actor: Any, name_id: int) -> DocumentName:
    name = db.session.scalar(select(DocumentName).join(DocumentCategory).where(
        DocumentName.id == name_id, DocumentCategory.organization_id == _agency_id(actor)))
    if name is None:
        raise CategoryNotFound
    return name


def received_documents(client: Client) -> list[PortalRequest]:
    """Documents the client sent through the portal (for the Documents tab), by category then newest first."""
    return list(db.session.scalars(
        select(PortalRequest).where(PortalRequest.client_id == client.id, PortalRequest.kind == "document",
                                    PortalRequest.received_file_id.is_not(None),
                                    PortalRequest.status != RequestStatus.CANCELLED)
        .options(joinedload(PortalRequest.category), joinedload(PortalRequest.document_name),
                 joinedload(PortalRequest.received_file))
        .order_by(PortalRequest.category_id, PortalRequest.fulfilled_at.desc()).limit(200)))


# --- portal -----------------------------------------------------------------------------------------------

def _portal_query(access: ClientAccess):
    return _loaded(select(PortalRequest).where(PortalRequest.client_id == access.client_id,
                                               PortalRequest.status != RequestStatus.CANCELLED,
                                               visible_to(access, ITEM_TYPE, PortalRequest.id)))


def portal_requests(access: ClientAccess) -> list[PortalRequest]:
    """The acted-for client's requests this access sees, waiting ones first (by due date), then the rest."""
    rows = list(db.session.scalars(_portal_query(access).order_by(PortalRequest.requested_at.desc(),
                                                                  PortalRequest.id.desc()).limit(100)).unique())
    waiting = sorted((r for r in rows if r.waiting_for_client),
                     key=lambda r: (r.due_date is None, r.due_date or r.requested_at.date(), r.id))
    return waiting + [r for r in rows if not r.waiting_for_client]


_WAITING_COUNT = (
    select(func.count(PortalRequest.id))
    .where(PortalRequest.client_id == bindparam("client_id"), PortalRequest.status.in_(("open", "returned")),
           visible_to(bindparam("access_id"), ITEM_TYPE, PortalRequest.id))
)  # built once per process (portal_app/statements.py): the navigation asks it on every portal page


def waiting_count(access: ClientAccess) -> int:
    """Requests waiting for the client that this access sees: one indexed count, nothing loaded."""
    return db.session.scalar(_WAITING_COUNT, {"client_id": access.client_id, "access_id": access.id}) or 0


def get_portal_request_for(access: ClientAccess | None, request_id: int) -> PortalRequest:
    """A request of the acted-for client visible to this access; else 404 (another's, or hidden)."""
    if access is None or not access.active:
        raise RequestNotFound
    request = db.session.scalars(_portal_query(access).where(PortalRequest.id == request_id)).unique().one_or_none()
    if request is None:
        raise RequestNotFound
    return request


def portal_bundles(requests: list[PortalRequest]) -> dict[int, RequestBundle]:
    return {r.bundle.id: r.bundle for r in requests if r.bundle is not None}
