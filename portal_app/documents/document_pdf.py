"""A completed document as a sealed PDF: built from its records, produced off the request path (P5).

`pdf_document(document)` fills the generic layout (pdf.py) from the document's version, answers,
signatures and audit trail; `seal_document` produces and links the SealedFile; the worker calls
`run_document_sealing` (worker.py) on each pass, through `unsealed_document_ids` and `claim_unsealed` (rendering and sealing take about a second per document).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..accounts.models import User
from ..audit import AuditEvent
from ..extensions import db
from ..portal_access.models import PortalAccount
from .answers import translations
from .fields import ANSWER_KINDS, FieldKind
from .pdf import PdfAuditRow, PdfDocument, PdfItem, PdfSignature
from .records import Document, DocumentStatus
from .sealed import produce_sealed_pdf
from .workflow import signed_content_sha256

MAX_SEAL_ATTEMPTS = 5
AUDIT_WORDS = {"document.created": "created", "document.draft_saved": "draft saved", "document.submitted": "answers submitted",
               "document.sent_to_portal": "sent to the client portal", "document.viewed": "viewed",
               "document.signed": "signed", "document.declined": "declined to sign", "document.completed": "completed",
               "document.voided": "voided", "document.downloaded": "downloaded",
               "document.paper_copy_uploaded": "scanned paper copy uploaded"}


def answer_text(field: dict, value: Any, lang: str) -> str:
    """An answer as people read it: the choice's label in `lang`, Yes/No, a list joined by commas."""
    gettext = translations(lang).gettext
    if value in (None, "", []):
        return gettext("(no answer)")
    kind = field["kind"]
    if kind == FieldKind.YES_NO:
        return gettext("Yes") if value == "yes" else gettext("No")
    if kind in (FieldKind.SINGLE_CHOICE, FieldKind.MULTIPLE_CHOICE):
        labels = {c["value"]: (c["label"].get(lang) or c["label"]["en"]) for c in field["choices"]}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, str(v)) for v in values)
    return str(value)


def _text(texts: dict, lang: str) -> str:
    return texts.get(lang) or texts.get("en", "")


def items_of(document: Document, lang: str) -> list[PdfItem]:
    items = []
    for f in document.template_version.fields:
        if f["kind"] == FieldKind.HEADING:
            items.append(PdfItem(_text(f["label"], lang), kind="heading"))
        elif f["kind"] == FieldKind.STATIC_TEXT:
            items.append(PdfItem(_text(f["label"], lang), kind="text"))
        elif f["kind"] in ANSWER_KINDS:
            items.append(PdfItem(_text(f["label"], lang), answer_text(f, (document.answers or {}).get(f["key"]), lang)))
    return items


def audit_trail(document: Document, limit: int = 200) -> list[tuple[AuditEvent, str]]:
    """The document's audit events, oldest first, with who did each (staff name and role, or portal username)."""
    events = list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.client_id == document.client_id, AuditEvent.object_type == "Document",
                                 AuditEvent.object_id == str(document.id))
        .order_by(AuditEvent.occurred_at, AuditEvent.id).limit(limit)))
    staff_ids = {e.actor_id for e in events if e.actor_id and e.actor_kind != "portal"}
    account_ids = {e.actor_id for e in events if e.actor_id and e.actor_kind == "portal"}
    staff = {u.id: f"{u.full_name} ({u.role_label.lower()})"
             for u in db.session.scalars(select(User).where(User.id.in_(staff_ids)))} if staff_ids else {}
    accounts = {a.id: f"{a.username} (client portal)" for a in db.session.scalars(
        select(PortalAccount).where(PortalAccount.id.in_(account_ids)))} if account_ids else {}
    return [(e, (accounts if e.actor_kind == "portal" else staff).get(e.actor_id, "Caseport")) for e in events]


def pdf_document(document: Document) -> PdfDocument:
    """The generic layout's content for this document (its verification code is chosen when produced)."""
    client = document.client
    lang = client.preferred_language if client.preferred_language in ("en", "es") else "en"
    agency = client.organization
    version = document.template_version
    signatures, notes = [], []
    for s in document.signatures:
        if s.declined:
            notes.append(f"{s.capacity or s.typed_name} declined to sign: {s.decline_reason}")
            continue
        role = s.capacity.removeprefix(f"{s.typed_name}, ") if s.capacity else s.signer_kind
        method = s.method
        if s.method == "in person" and s.signer_kind != "staff" and s.staff_user is not None:
            method = f"in person, in the presence of {s.staff_user.display_name}"  # the witness (in_person.py)
        signatures.append(PdfSignature(s.typed_name, role, s.signed_at, method, mark=s.typed_name))
    trail = [PdfAuditRow(e.occurred_at, AUDIT_WORDS.get(e.action, e.action.removeprefix("document.")), who, e.ip)
             for e, who in audit_trail(document) if e.action != "document.draft_saved"]
    return PdfDocument(
        agency_name=agency.name, agency_lines=[line for line in (agency.address, agency.phone) if line],
        client_name=client.full_name, client_details=[f"Date of birth: {client.date_of_birth.isoformat()}"]
        if client.date_of_birth else [], title=document.title(lang), version=str(version.number),
        verification_code="", content_sha256=signed_content_sha256(document), items=items_of(document, lang),
        signatures=signatures, audit=trail, document_ref=f"D-{document.id}", language=lang, notes=notes)


def seal_document(document: Document) -> None:
    """Produce the sealed PDF of a completed, e-signed document and link it (flushes, never commits)."""
    if not document.sealing:
        return
    row = produce_sealed_pdf(document.client.organization, pdf_document(document))
    document.sealed_file = row
    db.session.flush()


def unsealed_document_ids(limit: int = 5) -> list[int]:
    """Completed e-signed documents still without their sealed PDF, oldest first (the worker's queue)."""
    return list(db.session.scalars(
        select(Document.id).where(Document.status == DocumentStatus.COMPLETED, Document.paper_only.is_(False),
                                  Document.sealed_file_id.is_(None), Document.seal_attempts < MAX_SEAL_ATTEMPTS)
        .order_by(Document.completed_at).limit(limit)))


def claim_unsealed(document_id: int) -> Document | None:
    """The document, if still unsealed and not being sealed by another worker (SKIP LOCKED on PostgreSQL)."""
    stmt = select(Document).where(Document.id == document_id, Document.sealed_file_id.is_(None))
    if db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    document = db.session.scalar(stmt)
    if document is not None:
        document.seal_attempts += 1
    return document


def count_seal_failure(document_id: int) -> None:
    """A failed attempt counts (after the rollback), so a document that cannot be sealed stops being retried."""
    document = db.session.get(Document, document_id)
    if document is not None:
        document.seal_attempts += 1
        db.session.flush()
