"""Documents of a client: start, fill (draft, then submit), send to the portal, sign and countersign,
complete, void, the scanned copy of a paper-only form, downloads.

Every function takes the acting person as `actor`, checks the rule, records an audit event and
flushes; the request (or the worker, or the CLI) commits. Nothing is deleted.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import and_, func, select
from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..accounts.models import User
from ..clients.models import Client
from ..clock import utcnow
from ..extensions import db
from ..outbox import enqueue_template
from ..plaintext import has_control_characters
from ..portal_access.models import ClientAccess, HiddenItem, PortalAccount
from ..roi.services import record_from_document
from ..storage import get_storage
from .answers import AnswerCheck, validate_answers
from .errors import (
    AlreadyCountersigned,
    AnswersInvalid,
    CountersignatureNotRequired,
    NoPortalAccount,
    NotPaperOnly,
    PaperCopyInvalid,
    SignatureNameInvalid,
    SignaturesMissing,
    TemplateNotOffered,
    VoidReasonMissing,
    WrongStatus,
)
from .fields import Signer
from .models import FormTemplate, FormTemplateVersion
from .pdf import content_sha256
from .records import (
    ITEM_TYPE,
    STATUS_LABELS,
    Document,
    DocumentSignature,
    DocumentStatus,
    SignerKind,
)
from .services import ensure_can_e_sign

S = DocumentStatus
PAPER_TYPES = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
PAPER_MAX_BYTES = 10 * 1024 * 1024
# What a staff member affirms by countersigning (ES-INTENT): shown beside the box, stored with the signature.
# Who else must know when a signer declines (the requests domain's "roi" kind registers here, so this module
# imports nothing of theirs): callables (actor, document, signature), run in the same transaction. A listener
# returns True when it told the document's sender in their Inbox itself (then no second item is added).
ON_DECLINED: list[Callable[[Any, Document, DocumentSignature], bool | None]] = []
STAFF_INTENT = "I am signing this document electronically, and I mean my typed name as my signature."


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as err:
        raise WrongStatus("Someone else changed this document meanwhile. The page now shows the document as it is; "
                          "check it and try again.") from err


def _require(document: Document, *allowed: str, doing: str) -> None:
    """Refuse (409) an action the document's status does not allow, saying what the status is."""
    if document.status not in allowed:
        raise WrongStatus(f"This document is \u201c{STATUS_LABELS[document.status]}\u201d, so it cannot be "
                          f"{doing} now.")


def _audit(action: str, actor: Any, document: Document, **details: Any) -> None:
    audit.record(f"document.{action}", actor, obj=document, client_id=document.client_id,
                 details={"version": document.template_version.number, **details})


def signed_content(document: Document) -> dict[str, Any]:
    """What a signature is bound to: the exact template version and the answers (ES-ASSOCIATE)."""
    version = document.template_version
    return {"document": document.id, "template": version.template_id, "template_version": version.number,
            "answers": document.answers or {}}


def signed_content_sha256(document: Document) -> str:
    return content_sha256(signed_content(document))


# --- start and fill --------------------------------------------------------------------------------------

def offered_templates(actor: User) -> list[tuple[FormTemplate, FormTemplateVersion]]:
    """The agency's active templates with a published version, with that current version (one query)."""
    rows = db.session.execute(
        select(FormTemplate, FormTemplateVersion)
        .join(FormTemplateVersion, and_(FormTemplateVersion.template_id == FormTemplate.id,
                                        FormTemplateVersion.number == FormTemplate.current_number))
        .where(FormTemplate.organization_id == actor.organization_id, FormTemplate.archived_at.is_(None))
        .order_by(func.lower(FormTemplate.name)))
    return [(t, v) for t, v in rows]


def start_document(actor: User, client: Client, template_id: int | None) -> Document:
    """A new draft for the client on the template's current published version (kept for good)."""
    version = next((v for t, v in offered_templates(actor) if t.id == template_id), None)
    if version is None or client.organization_id != actor.organization_id:
        raise TemplateNotOffered
    document = Document(client=client, template_version=version, status=S.DRAFT, answers={},
                        paper_only=version.paper_only, started_by_id=actor.id, started_at=utcnow())
    db.session.add(document)
    _flush()
    _audit("created", actor, document, template=version.template_id, paper_only=version.paper_only)
    return document


def save_answers(actor: User, document: Document, submitted: Mapping, *, submit: bool, lang: str = "en",
                 today: date | None = None) -> AnswerCheck:
    """Keep what was typed as the draft; on submit, check every answer (AnswersInvalid with one sentence per
    field) and move on: waiting for signatures, or completed when the form asks for none. A document
    waiting for the client is filled in the same way on the portal (the actor is then the portal account)."""
    _require(document, S.DRAFT, S.WAITING_CLIENT, doing="filled in")
    check = validate_answers(document.template_version.fields, submitted, lang, today=today)
    if not submit:
        from .answers import form_values
        document.answers = {**check.values, **{k: v for k, v in form_values(
            document.template_version.fields, submitted).items() if k in check.errors}}
        _flush()
        _audit("draft_saved", actor, document)
        return check
    if not check.ok:
        raise AnswersInvalid(check.errors)
    document.answers = check.values
    document.answers_submitted_at = utcnow()
    document.status = S.WAITING_SIGNATURES if required_signers(document) else S.COMPLETED
    if document.status == S.COMPLETED:
        document.completed_at = utcnow()
    _flush()
    _audit("submitted", actor, document, status=document.status)
    if document.status == S.COMPLETED:
        record_from_document(actor, document)  # a release of information becomes an ROI record
    return check


# --- the portal ------------------------------------------------------------------------------------------

def portal_recipients(document: Document) -> list[PortalAccount]:
    """The client's accounts that may see this document: active accesses, minus those it is hidden from."""
    hidden = select(HiddenItem.access_id).where(HiddenItem.item_type == ITEM_TYPE, HiddenItem.item_id == document.id)
    return list(db.session.scalars(
        select(PortalAccount).join(ClientAccess, ClientAccess.account_id == PortalAccount.id)
        .where(ClientAccess.client_id == document.client_id, ClientAccess.readable(), ClientAccess.id.not_in(hidden))
        .order_by(PortalAccount.id)))


def send_to_portal(actor: User, document: Document, *, notify: bool = True) -> int:
    """"Have the client fill it out at home": waiting for the client, and an email with a link (no details,
    S14) to each of the client's portal accounts that may see it. Returns the number of emails queued.
    `notify=False` when the caller sends its own single email instead (a request, or a packet, carrying it)."""
    _require(document, S.DRAFT, doing="sent to the portal")
    ensure_can_e_sign(document.template_version)
    if not document.template_version.fillable_portal:
        raise WrongStatus("This form is not fillable on the client portal (see its settings under Forms).")
    accounts = portal_recipients(document)
    if not accounts:
        raise NoPortalAccount
    document.status = S.WAITING_CLIENT
    document.sent_by_id, document.sent_at = actor.id, utcnow()
    _flush()
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/portal/"
    agency = document.client.organization.name
    sent = 0
    for account in accounts if notify else []:
        if account.email:
            enqueue_template(account.email, "document_waiting_portal", agency_name=agency, link=link,
                             language=account.language)
            sent += 1
    _audit("sent_to_portal", actor, document, accounts=[a.id for a in accounts])
    return sent


# --- signatures ------------------------------------------------------------------------------------------

def required_signers(document: Document) -> list[str]:
    """Which signatures complete the document: the client's (or a representative's for them), and the staff
    countersignature when the form asks for it. A paper-only form is signed in ink instead."""
    version = document.template_version
    signers = set(version.signers())
    needed = []
    if signers & {Signer.CLIENT, Signer.REPRESENTATIVE}:
        needed.append("client")
    if Signer.STAFF in signers or version.countersignature_required:
        needed.append("staff")
    return needed


def missing_signers(document: Document) -> list[str]:
    signed = {s.signer_kind for s in document.signatures if not s.declined}
    have = {"client": bool(signed & {SignerKind.CLIENT, SignerKind.REPRESENTATIVE}), "staff": SignerKind.STAFF in signed}
    return [need for need in required_signers(document) if not have[need]]


def _check_name(typed_name: str) -> str:
    name = " ".join((typed_name or "").split())
    if not 2 <= len(name) <= 200 or has_control_characters(name):
        raise SignatureNameInvalid
    return name


def record_signature(actor: Any, document: Document, kind: SignerKind, typed_name: str, capacity: str, *,
                     method: str, ip: str = "", user_agent: str = "", staff: User | None = None,
                     access: ClientAccess | None = None, declined: bool = False,
                     decline_reason: str = "", statement: str = "") -> DocumentSignature:
    """One signature (or refusal) bound to the document's exact content; completes the document when it was
    the last one needed. The portal (item 3) and the emailed link (item 6) call this too, after their checks."""
    _require(document, S.WAITING_SIGNATURES, S.WAITING_CLIENT, doing="signed")
    ensure_can_e_sign(document.template_version)
    signature = DocumentSignature(
        document=document, signer_kind=str(kind), staff_user_id=staff.id if staff else None,
        access_id=access.id if access else None, typed_name=_check_name(typed_name), capacity=capacity[:300],
        method=method[:80], statement=statement, signed_at=utcnow(), ip_address=ip[:64], user_agent=user_agent[:300],
        content_sha256=signed_content_sha256(document), declined=declined, decline_reason=decline_reason)
    db.session.add(signature)
    _flush()
    _audit("declined" if declined else "signed", actor, document, signer_kind=str(kind), capacity=capacity[:300],
           sha256=signature.content_sha256)
    if not declined and document.status == S.WAITING_SIGNATURES and not missing_signers(document):
        _complete(actor, document)
    if declined:
        told = [listener(actor, document, signature) for listener in ON_DECLINED]
        signature.sender_told = any(told)  # not stored: read by the caller that tells the sender
    return signature


def countersign(actor: User, document: Document, typed_name: str, *, ip: str = "",
                user_agent: str = "") -> DocumentSignature:
    """The staff countersignature, by typed name, on a form that asks for one; once per document."""
    _require(document, S.WAITING_SIGNATURES, doing="countersigned")
    ensure_can_e_sign(document.template_version)
    if "staff" not in required_signers(document):
        raise CountersignatureNotRequired
    if any(s.signer_kind == SignerKind.STAFF and not s.declined for s in document.signatures):
        raise AlreadyCountersigned
    name = _check_name(typed_name)
    capacity = f"{name}, {actor.role_label.lower()}, {actor.organization.name}"
    return record_signature(actor, document, SignerKind.STAFF, name, capacity, method="typed name on the staff site",
                            ip=ip, user_agent=user_agent, staff=actor, statement=STAFF_INTENT)


def _complete(actor: Any, document: Document) -> None:
    """Completed: nothing changes any more; the worker produces the sealed PDF (P5)."""
    document.status = S.COMPLETED
    document.completed_at = utcnow()
    _flush()
    _audit("completed", actor, document)
    record_from_document(actor, document)  # a release of information becomes an ROI record (same transaction)


def complete(actor: User, document: Document) -> None:
    """Complete a document whose required signatures all exist (SignaturesMissing otherwise)."""
    _require(document, S.WAITING_SIGNATURES, doing="completed")
    if document.paper_only:
        raise WrongStatus("A form signed on paper is completed by uploading the scanned signed copy.")
    if missing_signers(document):
        raise SignaturesMissing
    _complete(actor, document)


# --- void, paper, downloads ------------------------------------------------------------------------------

def void(actor: User, document: Document, reason: str) -> None:
    """Void with a reason: the document stays, with its answers, signatures and PDF, marked voided."""
    _require(document, S.DRAFT, S.WAITING_CLIENT, S.WAITING_SIGNATURES, S.COMPLETED, doing="voided")
    reason = (reason or "").strip()
    if len(reason) < 3 or len(reason) > 1000 or has_control_characters(reason, multiline=True):
        raise VoidReasonMissing
    previous = document.status
    document.status = S.VOIDED
    document.void_reason, document.voided_by_id, document.voided_at = reason, actor.id, utcnow()
    _flush()
    _audit("voided", actor, document, previous=previous, reason=reason)


def paper_copy_type(data: bytes) -> str:
    """The scan's type by its content (S11): PDF, JPEG or PNG; PaperCopyInvalid otherwise."""
    for magic, content_type in PAPER_TYPES.items():
        if data.startswith(magic) and 0 < len(data) <= PAPER_MAX_BYTES:
            return content_type
    raise PaperCopyInvalid


def attach_paper_copy(actor: User, document: Document, data: bytes) -> None:
    """The scanned wet-ink copy of a paper-only form: stored, and the document completed "signed on paper"."""
    if not document.paper_only:
        raise NotPaperOnly
    _require(document, S.DRAFT, S.WAITING_SIGNATURES, doing="given a scanned copy")
    document.paper_copy_type = paper_copy_type(data)
    document.paper_copy_key = get_storage().put(data, document.paper_copy_type)
    document.paper_copy_by_id, document.paper_copy_at = actor.id, utcnow()
    _flush()
    _audit("paper_copy_uploaded", actor, document, sha256=document.paper_copy_key, size=len(data))
    _complete(actor, document)


def record_view(actor: User, document: Document, page: str) -> None:
    _audit("viewed", actor, document, page=page)


def record_download(actor: User, document: Document) -> None:
    """Every download of the PDF or the scan is an audited view of the record (S13)."""
    _audit("downloaded", actor, document, file="paper_copy" if document.paper_only else "sealed_pdf")
