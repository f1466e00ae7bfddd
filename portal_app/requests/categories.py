"""Account Administration › Document Categories: an agency's categories of client documents and the
predefined names in each (what staff choose when they ask a client for a document). Archived, never deleted."""
from __future__ import annotations

from sqlalchemy import func, select

from .. import audit
from ..accounts.models import User
from ..clock import utcnow
from ..extensions import db
from ..plaintext import has_control_characters
from .errors import CategoryNameInvalid
from .models import DocumentCategory, DocumentName

# The starting list an agency gets (and the demo shows): category -> predefined names.
DEFAULT_CATEGORIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Identification": ("Identificación", ("Driver's licence", "State ID", "Birth certificate",
                                          "Social Security card")),
    "Income": ("Ingresos", ("Pay stub", "Benefit letter")),
    "Housing": ("Vivienda", ("Lease", "Utility bill")),
    "Other": ("Otro", ()),
}
NAMES_ES = {"Driver's licence": "Licencia de conducir", "State ID": "Identificación estatal",
            "Birth certificate": "Acta de nacimiento", "Social Security card": "Tarjeta del Seguro Social",
            "Pay stub": "Talón de pago", "Benefit letter": "Carta de beneficios", "Lease": "Contrato de alquiler",
            "Utility bill": "Factura de servicios"}


def _clean(name: str) -> str:
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= 100 or has_control_characters(name):
        raise CategoryNameInvalid
    return name


def agency_categories(organization_id: int, *, with_archived: bool = False) -> list[DocumentCategory]:
    """The agency's categories by name, each with its names loaded (two queries)."""
    from sqlalchemy.orm import selectinload

    stmt = (select(DocumentCategory).where(DocumentCategory.organization_id == organization_id)
            .options(selectinload(DocumentCategory.names)).order_by(func.lower(DocumentCategory.name)))
    if not with_archived:
        stmt = stmt.where(DocumentCategory.archived_at.is_(None))
    return list(db.session.scalars(stmt))


def add_category(actor: User, name: str, name_es: str = "") -> DocumentCategory:
    name = _clean(name)
    taken = db.session.scalar(select(DocumentCategory.id).where(
        DocumentCategory.organization_id == actor.organization_id,
        func.lower(DocumentCategory.name) == name.lower(), DocumentCategory.archived_at.is_(None)))
    if taken:
        raise CategoryNameInvalid
    category = DocumentCategory(organization_id=actor.organization_id, name=name,
                                name_es=_clean(name_es) if name_es.strip() else "")
    db.session.add(category)
    db.session.flush()
    audit.record("document_category.created", actor, obj=category, details={"name": name})
    return category


def add_name(actor: User, category: DocumentCategory, name: str, name_es: str = "") -> DocumentName:
    name = _clean(name)
    if any(n.name.lower() == name.lower() and n.archived_at is None for n in category.names):
        raise CategoryNameInvalid
    item = DocumentName(category=category, name=name, name_es=_clean(name_es) if name_es.strip() else "")
    db.session.add(item)
    db.session.flush()
    audit.record("document_name.created", actor, obj=item, details={"category": category.id, "name": name})
    return item


def archive_name(actor: User, item: DocumentName) -> None:
    if item.archived_at is None:
        item.archived_at = utcnow()
        db.session.flush()
        audit.record("document_name.archived", actor, obj=item, details={"category": item.category_id})


def archive_category(actor: User, category: DocumentCategory) -> None:
    if category.archived_at is None:
        category.archived_at = utcnow()
        db.session.flush()
        audit.record("document_category.archived", actor, obj=category)


def install_defaults(organization_id: int) -> list[DocumentCategory]:
    """The starting list for an agency that has none (the demo, a new agency's first visit)."""
    if db.session.scalar(select(DocumentCategory.id).where(DocumentCategory.organization_id == organization_id)):
        return agency_categories(organization_id)
    for name, (name_es, names) in DEFAULT_CATEGORIES.items():
        category = DocumentCategory(organization_id=organization_id, name=name, name_es=name_es)
        category.names = [DocumentName(name=n, name_es=NAMES_ES.get(n, "")) for n in names]
        db.session.add(category)
    db.session.flush()
    return agency_categories(organization_id)
