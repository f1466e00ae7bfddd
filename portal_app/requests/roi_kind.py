"""The "roi" kind of request: ask the client to fill in and sign the agency's Release of Information form.

Sending it is refused (exact sentence, with a link to the history beside it) while an ROI in force does not
expire within 7 days; otherwise the agency's ROI form is sent to the portal and linked to the request. The
request is fulfilled when that document is signed and the ROI record is made (`roi.services.ON_RECORDED`),
and marked "can't provide" when the signer declines (`documents.workflow.ON_DECLINED`): both listeners are
registered here, so the roi and documents domains import nothing of the requests domain.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from ..accounts.models import User
from ..clock import utcnow
from ..documents import workflow
from ..documents.records import Document, DocumentSignature, SignerKind
from ..errors import DomainError
from ..extensions import db
from ..portal_access.models import ClientAccess, PortalAccount
from ..roi import queries as roi_queries
from ..roi import services as roi_services
from ..roi.models import ReleaseOfInformation
from ..roi.sending import send_roi_to_portal
from .errors import RequestError
from .kinds import KindHandler, register_kind
from .models import DECLINED, WAITING, PortalRequest, RequestKind, RequestStatus
from .portal_services import _inbox_item, mark_fulfilled
from .services import _audit, _flush

S = RequestStatus
HISTORY_ENDPOINT = "staff.client_roi_history"


class RoiAlreadyActive(RequestError):
    """An ROI in force that does not expire within 7 days: the exact sentence, and the history linked beside it."""

    status = 409
    default_message = roi_queries.REFUSAL_MESSAGE
    link_endpoint = HISTORY_ENDPOINT
    link_text = "Release of Information history"
    per_client = True  # a mass send skips this client and sends to the others


class RoiNotSent(RequestError):
    """The ROI form could not be sent (no ROI form in the agency, not fillable on the portal ...): its sentence."""

    status = 409


def _prepare_roi(actor: User, request: PortalRequest, data: Mapping[str, Any]) -> None:
    """Refused while an ROI lasts beyond 7 days; else the agency's ROI form goes to the portal, linked here,
    without an email of its own: the request's (or its packet's) one email points to the Requests page."""
    refusal = roi_queries.roi_request_refusal(request.client, roi_queries.agency_today())
    if refusal:
        raise RoiAlreadyActive(refusal)
    try:
        request.document = send_roi_to_portal(actor, request.client, notify=False)
    except RequestError:
        raise
    except DomainError as err:
        raise RoiNotSent(str(err)) from err


def fulfil_roi(account: PortalAccount, access: ClientAccess, request: PortalRequest,
               roi: ReleaseOfInformation | None = None) -> None:
    """The signed form became an ROI: the request is fulfilled (Inbox item and email for who asked)."""
    mark_fulfilled(account, access, request, document_id=request.document_id, roi_id=roi.id if roi else None)


def _waiting_request(document: Document) -> PortalRequest | None:
    return db.session.scalar(select(PortalRequest).where(
        PortalRequest.document_id == document.id, PortalRequest.kind == RequestKind.ROI,
        PortalRequest.status.in_([str(s) for s in WAITING])).order_by(PortalRequest.id).limit(1))


def _client_access(document: Document, request: PortalRequest) -> ClientAccess | None:
    """The portal access that signed for the client (the client or a representative), if one did."""
    for signature in document.signatures:
        if signature.signer_kind in (SignerKind.CLIENT, SignerKind.REPRESENTATIVE) and signature.access_id \
                and not signature.declined:
            access = db.session.get(ClientAccess, signature.access_id)
            if access is not None and access.client_id == request.client_id:
                return access
    return None


def _on_recorded(actor: Any, document: Document, roi: ReleaseOfInformation) -> None:
    request = _waiting_request(document)
    if request is None:
        return
    access = _client_access(document, request)
    if access is not None:
        fulfil_roi(access.account, access, request, roi)
        return
    # Signed without the portal (in person): fulfilled all the same, with no Inbox item from an account.
    request.status, request.fulfilled_at = S.FULFILLED, utcnow()
    request.cant_reason, request.cant_text = "", ""
    _flush()
    _audit("fulfilled", actor, request, document_id=document.id, roi_id=roi.id)


def _on_declined(actor: Any, document: Document, signature: DocumentSignature) -> bool:
    """The signer declined the ROI form: the request says so, with their reason, to the staff member (in the
    request's Inbox item: True, so the documents domain adds no second one)."""
    request = _waiting_request(document)
    if request is None:
        return False
    request.status, request.cant_reason = S.CANT_PROVIDE, DECLINED
    request.cant_text = (signature.decline_reason or "")[:1000]
    _flush()
    _audit("cant_provide", actor, request, access_id=signature.access_id, reason=DECLINED)
    access = db.session.get(ClientAccess, signature.access_id) if signature.access_id else None
    if access is not None and isinstance(actor, PortalAccount):
        _inbox_item(actor, access, request, f"I declined to sign the Release of Information. {request.cant_text}")
        return True
    return False


def rois_by_document(requests: list[PortalRequest]) -> dict[int, ReleaseOfInformation]:
    """document id -> the ROI made from it, for the ROI requests listed (one query)."""
    ids = [r.document_id for r in requests if r.kind == RequestKind.ROI and r.document_id]
    if not ids:
        return {}
    return {roi.document_id: roi for roi in db.session.scalars(
        select(ReleaseOfInformation).where(ReleaseOfInformation.document_id.in_(ids)))}


register_kind(RequestKind.ROI, KindHandler("Release of Information", _prepare_roi, fulfil_roi, "portal.request_roi"))
if _on_recorded not in roi_services.ON_RECORDED:
    roi_services.ON_RECORDED.append(_on_recorded)
if _on_declined not in workflow.ON_DECLINED:
    workflow.ON_DECLINED.append(_on_declined)
