"""Who may manage form templates: an agency's administrators, for their own agency's forms only."""
from __future__ import annotations

from typing import Any

from ..accounts.models import User
from ..authz import Permission, object_rule
from .models import FormTemplate, FormTemplateVersion


def _template_of(obj: Any) -> FormTemplate | None:
    return obj.template if isinstance(obj, FormTemplateVersion) else obj


@object_rule(Permission.ADMIN_FORMS)
def may_manage_form_template(actor: User, obj: FormTemplate | FormTemplateVersion | None) -> bool:
    """The Forms list (no object: scoped by its query), or a template (or version) of the admin's agency."""
    if not (actor.is_admin and actor.organization_id is not None):
        return False
    template = _template_of(obj)
    if template is None:
        return obj is None
    if not isinstance(template, FormTemplate):
        return False
    return template.organization_id == actor.organization_id


# --- documents of a client ------------------------------------------------------------------------------

def _client_of_document(obj: Any):
    from ..clients.models import Client
    from .records import Document

    if isinstance(obj, Document):
        return obj.client
    return obj if isinstance(obj, Client) else None


@object_rule(Permission.STAFF_DOCUMENTS)
def may_manage_documents(actor: User, obj: Any) -> bool:
    """The Documents tab of a client of the actor's agency, and its documents (as the rest of the client's
    record: every staff member of the owning agency; partners never hold the permission)."""
    if obj is None:
        return bool(getattr(actor, "is_staff", False)) and actor.organization_id is not None
    client = _client_of_document(obj)
    return (client is not None and bool(getattr(actor, "is_staff", False))
            and client.organization_id == actor.organization_id)


@object_rule(Permission.PORTAL_DOCUMENTS)
def may_use_portal_documents(actor: Any, obj: Any) -> bool:
    """A portal account, acting for a client through its own active access; a document only when it is
    that client's and not hidden from this access (the loader's query also filters by visible_to)."""
    from ..portal_access.models import ClientAccess, HiddenItem
    from .records import ITEM_TYPE, Document

    if getattr(actor, "kind", None) != "portal":
        return False
    if obj is None:
        return True
    access, document = obj if isinstance(obj, tuple) else (obj, None)
    if not (isinstance(access, ClientAccess) and access.account_id == actor.id and access.active):
        return False
    if document is None:
        return True
    if not isinstance(document, Document) or document.client_id != access.client_id:
        return False
    from sqlalchemy import select

    from ..extensions import db
    return db.session.scalar(select(HiddenItem.id).where(
        HiddenItem.access_id == access.id, HiddenItem.item_type == ITEM_TYPE,
        HiddenItem.item_id == document.id).limit(1)) is None


def _register_documents() -> None:
    """Documents are items staff may hide from one representative (Client Portal Manager > items to hide);
    the portal's document queries filter with portal_access.policy.visible_to(access, "document", Document.id)."""
    from sqlalchemy import select

    from ..extensions import db
    from ..portal_access.visibility import ItemType, register
    from .records import ITEM_TYPE, Document, DocumentStatus

    def load(client, item_id: int):
        document = db.session.get(Document, item_id)
        return document if document is not None and document.client_id == client.id else None

    def items(client) -> list[tuple[int, str]]:
        rows = db.session.execute(
            select(Document.id, Document.status, FormTemplateVersion.title, FormTemplateVersion.number)
            .join(FormTemplateVersion, FormTemplateVersion.id == Document.template_version_id)
            .where(Document.client_id == client.id, Document.status != DocumentStatus.VOIDED)
            .order_by(Document.started_at.desc(), Document.id.desc()).limit(200))
        return [(doc_id, f"Document \u201c{(title or {}).get('en', 'form')}\u201d (version {number})")
                for doc_id, _status, title, number in rows]

    def kept_from_new(client) -> list[tuple[int, int]]:
        """Drafts emailed to one representative (emailed.py), with the staff member who sent each."""
        return [(doc_id, sent_by_id) for doc_id, sent_by_id in db.session.execute(
            select(Document.id, Document.sent_by_id)
            .where(Document.client_id == client.id, Document.emailed_to_access_id.is_not(None),
                   Document.sent_by_id.is_not(None))
            .order_by(Document.id))]

    register(ITEM_TYPE, ItemType("Documents", load, items, kept_from_new=kept_from_new))


_register_documents()
