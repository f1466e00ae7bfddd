"""Staff side of requests: send one (or a bundle) to a client, accept or return the result, cancel.

Functions take the acting staff member, check the rule, audit, queue link-only emails (S14) and flush;
the view (or the worker, or the demo) commits.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..accounts.models import User
from ..authz import Permission, can
from ..clients.models import Client
from ..clock import utcnow
from ..documents import workflow
from ..extensions import db
from ..outbox import enqueue_template
from ..plaintext import has_control_characters
from ..portal_access.models import ClientAccess, HiddenItem, PortalAccount
from ..portal_access.queries import readable_accesses
from ..timefmt import to_local
from .errors import (
    BundleInvalid,
    DueDateInPast,
    NoPortalAccount,
    NotYourAgency,
    ReasonRequired,
    WrongStatus,
)
from .kinds import handler_for
from .models import ITEM_TYPE, PortalRequest, RequestBundle, RequestStatus

S = RequestStatus
MAX_BUNDLE = 10


def today() -> date:
    """The agency's today, by the app clock."""
    return to_local(utcnow()).date()


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as err:
        raise WrongStatus from err


def _audit(action: str, actor: Any, request: PortalRequest, **details: Any) -> None:
    audit.record(f"portal_request.{action}", actor, obj=request, client_id=request.client_id,
                 site="portal" if getattr(actor, "kind", None) == "portal" else None,
                 details={"kind": request.kind, **details})


def portal_recipients(requests: Iterable[PortalRequest]) -> list[PortalAccount]:
    """The client's accounts that see at least one of these requests (active, not hidden from them)."""
    requests = list(requests)
    if not requests:
        return []
    ids = [r.id for r in requests]
    hidden: dict[int, int] = {}
    for access_id in db.session.scalars(select(HiddenItem.access_id).where(HiddenItem.item_type == ITEM_TYPE,
                                                                           HiddenItem.item_id.in_(ids))):
        hidden[access_id] = hidden.get(access_id, 0) + 1
    hidden_from_all = [access_id for access_id, n in hidden.items() if n >= len(set(ids))]
    return list(db.session.scalars(
        select(PortalAccount).join(ClientAccess, ClientAccess.account_id == PortalAccount.id)
        .where(ClientAccess.client_id == requests[0].client_id, ClientAccess.readable(),
               ClientAccess.id.not_in(hidden_from_all)).order_by(PortalAccount.id)))


def notify_client(requests: list[PortalRequest], template: str = "request_waiting_portal", *,
                  key: str | None = None) -> int:
    """One link-only email per account that sees the request(s): no client name, nothing asked (S14)."""
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/portal/requests"
    agency = requests[0].client.organization.name
    sent = 0
    for account in portal_recipients(requests):
        if account.email:
            enqueue_template(account.email, template, agency_name=agency, link=link, language=account.language,
                             key=f"{key}-{account.id}" if key else None)
            sent += 1
    return sent


def _check_client(actor: User, client: Client) -> None:
    if not can(actor, Permission.STAFF_REQUESTS, client):
        raise NotYourAgency
    if not readable_accesses(client):
        raise NoPortalAccount


def _new_request(actor: User, client: Client, data: Mapping[str, Any], bundle: RequestBundle | None) -> PortalRequest:
    kind = str(data.get("kind") or "")
    handler = handler_for(kind)
    due = data.get("due_date")
    if due is not None and due < today():
        raise DueDateInPast
    request = PortalRequest(client=client, bundle=bundle, kind=kind, private=bool(data.get("private")),
                            due_date=due, requested_by_id=actor.id, requested_at=utcnow(), status=S.OPEN)
    db.session.add(request)
    handler.prepare(actor, request, data)
    _flush()
    _audit("sent", actor, request, bundle=bundle.id if bundle else None, private=request.private,
           due_date=due.isoformat() if due else None)
    return request


def send_request(actor: User, client: Client, data: Mapping[str, Any]) -> PortalRequest:
    """Send one request (data: kind, private, due_date and the kind's own fields); the client is emailed a link."""
    _check_client(actor, client)
    request = _new_request(actor, client, data, None)
    notify_client([request])
    return request


def send_bundle(actor: User, client: Client, title: str, items: list[Mapping[str, Any]]) -> RequestBundle:
    """Several requests as one packet, with one email; each item as for send_request."""
    _check_client(actor, client)
    title = " ".join((title or "").split())
    if not title or len(title) > 120 or has_control_characters(title) or not 1 <= len(items) <= MAX_BUNDLE:
        raise BundleInvalid
    bundle = RequestBundle(client=client, title=title, sent_by_id=actor.id, sent_at=utcnow())
    db.session.add(bundle)
    _flush()
    requests = [_new_request(actor, client, item, bundle) for item in items]
    audit.record("request_bundle.sent", actor, obj=bundle, client_id=client.id,
                 details={"requests": [r.id for r in requests]})
    notify_client(requests)
    return bundle


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not 3 <= len(reason) <= 1000 or has_control_characters(reason, multiline=True):
        raise ReasonRequired
    return reason


def accept_result(actor: User, request: PortalRequest) -> None:
    """Accept what the client sent: the request is done."""
    if request.status != S.FULFILLED:
        raise WrongStatus
    request.status, request.reviewed_by_id, request.reviewed_at = S.ACCEPTED, actor.id, utcnow()
    _flush()
    _audit("accepted", actor, request)


def return_result(actor: User, request: PortalRequest, reason: str) -> None:
    """Send the result back with a reason the client reads; they can send it again. A signed Release of
    Information is not returned: it is in force, and revoked (if need be) from the client's ROI history."""
    if request.status != S.FULFILLED:
        raise WrongStatus
    if request.kind == "roi":
        raise WrongStatus("A signed Release of Information cannot be returned. Revoke it from the client's "
                          "Release of Information history if the client asks.")
    request.return_reason = _reason(reason)
    request.status, request.reviewed_by_id, request.reviewed_at = S.RETURNED, actor.id, utcnow()
    _flush()
    _audit("returned", actor, request, reason=request.return_reason)
    notify_client([request], "request_returned_portal")


def cancel_request(actor: User, request: PortalRequest) -> None:
    """Cancel a request still waiting for the client (or for review): it leaves the client's list."""
    if request.status not in (S.OPEN, S.RETURNED, S.CANT_PROVIDE, S.FULFILLED):
        raise WrongStatus
    previous = request.status
    request.status, request.cancelled_at = S.CANCELLED, utcnow()
    request.reviewed_by_id = actor.id
    document = request.document
    if request.kind == "roi" and document is not None and document.status in ("waiting_client", "waiting_signatures"):
        # the ROI form sent for this request leaves the portal with it
        workflow.void(actor, document, "The Release of Information request was cancelled.")
    _flush()
    _audit("cancelled", actor, request, previous=previous)


def record_view(actor: Any, client: Client, page: str) -> None:
    audit.record("portal_request.list_viewed", actor, obj=client, client_id=client.id,
                 site="portal" if getattr(actor, "kind", None) == "portal" else None, details={"page": page})


def reason_of(text: str) -> str:
    return _reason(text)
