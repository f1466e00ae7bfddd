"""Reads of clients' documents, scoped to the actor's agency in the query itself (S15)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..authz import Permission, can
from ..clients.models import Client
from ..errors import Forbidden
from ..extensions import db
from ..paging import Page, fetch_page
from .errors import DocumentNotFound
from .models import FormTemplateVersion
from .records import Document, DocumentSignature


def _agency_id(actor: Any) -> int:
    return actor.organization_id if getattr(actor, "is_staff", False) and actor.organization_id else -1


def get_document_for(actor: Any, document_id: int, permission: Permission = Permission.STAFF_DOCUMENTS) -> Document:
    """A document of a client of the actor's agency; any other raises DocumentNotFound (404)."""
    document = db.session.scalar(
        select(Document).join(Client, Client.id == Document.client_id)
        .where(Document.id == document_id, Client.organization_id == _agency_id(actor))
        .options(joinedload(Document.client), joinedload(Document.template_version)
                 .joinedload(FormTemplateVersion.template),
                 selectinload(Document.signatures).joinedload(DocumentSignature.staff_user)))
    if document is None or not can(actor, Permission.STAFF_CLIENTS, document.client):
        raise DocumentNotFound
    if not can(actor, permission, document):
        raise Forbidden
    return document


def documents_page(client: Client, page: Any = 1) -> Page[Document]:
    """One page of the client's documents, newest first, with what the list shows loaded (constant queries)."""
    stmt = (select(Document).where(Document.client_id == client.id)
            .options(joinedload(Document.template_version).joinedload(FormTemplateVersion.template),
                     joinedload(Document.started_by), joinedload(Document.sealed_file))
            .order_by(Document.started_at.desc(), Document.id.desc()))
    return fetch_page(stmt, page)
