"""Portal side of requests: the kinds' handlers (assessment, document, location), "I can't provide this",
and what every fulfilment ends with: the status, an audit event and a PORTAL Inbox item (with its link-only
email) for the staff member who asked, through the messaging domain's one way of adding a message.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..accounts.models import User
from ..clock import utcnow
from ..documents import workflow
from ..documents.queries import offered_versions
from ..extensions import db
from ..files import StoredFile, read_bytes, store_bytes
from ..messaging import items
from ..messaging.models import Conversation
from ..plaintext import has_control_characters
from ..portal_access.models import ClientAccess, PortalAccount
from . import uploads
from .errors import (
    AssessmentNotOffered,
    CategoryRequired,
    LocationRequired,
    NameRequired,
    OtherNameRequired,
    ReasonRequired,
    UploadRejected,
    WrongStatus,
)
from .kinds import KindHandler, register_kind
from .models import (
    CANT_REASONS,
    DocumentCategory,
    DocumentName,
    PortalRequest,
    RequestKind,
    RequestStatus,
)
from .services import _audit, _flush

S = RequestStatus
MAX_LOCATION = 300


def _inbox_item(account: PortalAccount, access: ClientAccess, request: PortalRequest, text: str) -> None:
    """A message from the portal account to the staff member who asked, in the request's own Inbox item
    (addressed to this account only): it shows in their Inbox with the PORTAL label and emails them a link."""
    conversation = db.session.get(Conversation, request.conversation_id) if request.conversation_id else None
    if conversation is None:
        conversation = items.new_item(
            items.REQUEST, request.id, client_id=request.client_id, staff_id=request.requested_by_id,
            account=account, subject=f"Portal request: {request.kind_label} \u2013 {request.what('en')}")
        request.conversation_id = conversation.id
    items.post(conversation, account, text)


def _check_waiting(access: ClientAccess, request: PortalRequest) -> None:
    if request.client_id != access.client_id or request.status not in (S.OPEN, S.RETURNED, S.CANT_PROVIDE):
        raise WrongStatus


def mark_fulfilled(account: PortalAccount, access: ClientAccess, request: PortalRequest, **details: Any) -> None:
    """The end of every fulfilment (any kind): fulfilled, audited, and an Inbox item for the staff member."""
    _check_waiting(access, request)
    request.status, request.fulfilled_at, request.fulfilled_by_id = S.FULFILLED, utcnow(), account.id
    request.cant_reason, request.cant_text = "", ""
    _flush()
    _audit("fulfilled", account, request, access_id=access.id, **details)
    _inbox_item(account, access, request, f"I sent what you asked for: {request.kind_label.lower()} "
                                          f"\u201c{request.what('en')}\u201d. It is on the Client Portal Requests page.")


def cant_provide(account: PortalAccount, access: ClientAccess, request: PortalRequest, reason: str,
                 text: str = "") -> None:
    """"I can't provide this", with a reason (and words when "other"): an Inbox item instead of silence."""
    _check_waiting(access, request)
    text = (text or "").strip()
    if reason not in CANT_REASONS or len(text) > 1000 or has_control_characters(text, multiline=True) or (
            reason == "other" and not text):
        raise ReasonRequired("Choose a reason, and say more when you choose Other (at most 1000 characters).")
    request.status, request.cant_reason, request.cant_text = S.CANT_PROVIDE, reason, text
    _flush()
    _audit("cant_provide", account, request, access_id=access.id, reason=reason)
    said = CANT_REASONS[reason] + (f": {text}" if text else "")
    _inbox_item(account, access, request, f"I can't provide {request.kind_label.lower()} "
                                          f"\u201c{request.what('en')}\u201d. {said}")


# --- assessment -------------------------------------------------------------------------------------------

def _prepare_assessment(actor: User, request: PortalRequest, data: Mapping[str, Any]) -> None:
    """The document the client fills: started now from the template's current version, waiting for the client."""
    template_id = data.get("template_id")
    version = next((v for v in offered_versions(actor, "portal_assessment") if v.template_id == template_id), None)
    if version is None:
        raise AssessmentNotOffered
    document = workflow.start_document(actor, request.client, template_id)
    document.status = "waiting_client"  # filled from the request's page (it is not in the Documents list)
    request.document = document


def fulfil_assessment(account: PortalAccount, access: ClientAccess, request: PortalRequest, answers: Mapping,
                      *, submit: bool, today=None, lang: str = "en") -> None:
    """Save the answers (draft), or submit them (AnswersInvalid per field); submitted = fulfilled. A form
    that asks for signatures then waits for them on the portal's signing page."""
    _check_waiting(access, request)
    document = request.document
    if document.status != "waiting_client":
        raise WrongStatus
    workflow.save_answers(account, document, answers, submit=submit, lang=lang, today=today)
    if submit:
        if document.status == "waiting_signatures" and document.sent_at is None:
            document.sent_at, document.sent_by_id = utcnow(), request.requested_by_id
        mark_fulfilled(account, access, request, document_id=document.id)


# --- document ---------------------------------------------------------------------------------------------

def _prepare_document(actor: User, request: PortalRequest, data: Mapping[str, Any]) -> None:
    """Category and predefined name of the agency's list; "Other" (no name) needs the Other Name."""
    category = db.session.get(DocumentCategory, data.get("category_id") or 0)
    if category is None or category.organization_id != actor.organization_id or category.archived_at:
        raise CategoryRequired
    name_id = str(data.get("name_id") or "")
    request.category = category
    if name_id == "other":
        other = " ".join((data.get("other_name") or "").split())
        if not other or len(other) > 100 or has_control_characters(other):
            raise OtherNameRequired
        request.other_name = other
        return
    name = db.session.get(DocumentName, int(name_id)) if name_id.isdigit() else None
    if name is None or name.category_id != category.id or name.archived_at:
        raise NameRequired
    request.document_name = name


def add_pages(account: PortalAccount, access: ClientAccess, request: PortalRequest, files: list[bytes]) -> int:
    """Check and keep pages (each as a PDF) until the client sends them; the number of pages kept so far."""
    _check_waiting(access, request)
    if request.kind != RequestKind.DOCUMENT:
        raise WrongStatus
    pending = list(request.pending_pages or [])
    if len(pending) + len(files) > uploads.MAX_PAGES:
        raise UploadRejected(uploads.TOO_MANY_PAGES)
    for data in files:
        pending.append(store_bytes(uploads.check_page(data), "application/pdf", "page.pdf").id)
    request.pending_pages = pending
    _flush()
    return len(pending)


def fulfil_document(account: PortalAccount, access: ClientAccess, request: PortalRequest, files: list[bytes]) -> None:
    """The pages (those added before and these) become one PDF in the client's documents, under its category."""
    if files:
        add_pages(account, access, request, files)
    _check_waiting(access, request)
    ids = list(request.pending_pages or [])
    if not ids:
        raise UploadRejected(uploads.NO_FILE)
    stored = {f.id: f for f in db.session.query(StoredFile).filter(StoredFile.id.in_(ids))}
    combined, pages = uploads.combine([read_bytes(stored[i]) for i in ids])
    name = (request.what("en") or "document")[:80]
    request.received_file = store_bytes(combined, "application/pdf", f"{name}.pdf")
    request.received_pages, request.pending_pages = pages, []
    mark_fulfilled(account, access, request, file=request.received_file.sha256, pages=pages)


# --- location ---------------------------------------------------------------------------------------------

def _prepare_location(actor: User, request: PortalRequest, data: Mapping[str, Any]) -> None:
    """Nothing more to choose: the client types an address or shares their position."""


def _coordinate(value: Any, limit: float) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and -limit <= number <= limit else None


def fulfil_location(account: PortalAccount, access: ClientAccess, request: PortalRequest, address: str = "",
                    latitude: Any = None, longitude: Any = None) -> None:
    """An address typed, or the phone's position (both may come): kept on the request, shown on the profile."""
    address = " ".join((address or "").split())
    lat, lng = _coordinate(latitude, 90), _coordinate(longitude, 180)
    has_position = lat is not None and lng is not None and latitude not in ("", None)
    if len(address) > MAX_LOCATION or has_control_characters(address) or not (address or has_position):
        raise LocationRequired
    request.location_text = address
    request.latitude, request.longitude = (lat, lng) if has_position else (None, None)
    mark_fulfilled(account, access, request, position=has_position)


register_kind(RequestKind.ASSESSMENT, KindHandler("Assessment", _prepare_assessment, fulfil_assessment,
                                                  "portal.request_assessment"))
register_kind(RequestKind.DOCUMENT, KindHandler("Document", _prepare_document, fulfil_document,
                                                "portal.request_document"))
register_kind(RequestKind.LOCATION, KindHandler("Location", _prepare_location, fulfil_location,
                                                "portal.request_location"))


def pending_file_ids(request: PortalRequest) -> list[int]:
    return list(request.pending_pages or [])


def received_bytes(request: PortalRequest) -> bytes:
    if request.received_file is None:
        raise WrongStatus
    return read_bytes(request.received_file)
