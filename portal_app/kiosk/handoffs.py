"""Staff side of hand-offs: hand a client's document to a tablet (or any tablet at a location), list the
open ones, cancel or resend; and the staff member's notice when the client finished.

`hand_off` is the one entry point (client page, Documents tab, an appointment's "on kiosk"): it takes a
template version (a blank document is started) or an existing document, and a device or a location.
"""
from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import audit
from ..accounts.models import User
from ..clients.models import Client
from ..clock import utcnow
from ..documents import workflow
from ..documents.models import FormTemplateVersion
from ..documents.records import Document, DocumentStatus
from ..extensions import db
from ..outbox import enqueue_template
from .errors import (
    DocumentNotAwaitingClient,
    HandoffAlreadyOpen,
    HandoffClosed,
    HandoffNotFound,
    NotFillableOnKiosk,
    TargetInvalid,
)
from .models import AgencyLocation, HandoffStatus, KioskDevice, KioskHandoff
from .policy import may_hand_off

H = HandoffStatus
HANDOFF_LIFETIME = timedelta(hours=8)  # a hand-off not picked up by then expires (a working day)
OPEN = (H.PENDING, H.IN_PROGRESS)
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _agency_id(actor: Any) -> int:
    return actor.organization_id if getattr(actor, "is_staff", False) and actor.organization_id else -1


def _audit(action: str, actor: Any, handoff: KioskHandoff, **details: Any) -> None:
    audit.record(f"kiosk.handoff_{action}", actor, obj=handoff, client_id=handoff.client_id,
                 details={"document": handoff.document_id, **details})


def awaits_client(document: Document) -> bool:
    """A document a client can fill in or sign on a kiosk."""
    return document.status in (DocumentStatus.DRAFT, DocumentStatus.WAITING_CLIENT) or (
        document.status == DocumentStatus.WAITING_SIGNATURES and "client" in workflow.missing_signers(document))


def kiosk_versions(actor: User) -> list[FormTemplateVersion]:
    """Current versions of the agency's forms fillable on a kiosk (never paper-only)."""
    from ..documents.queries import offered_versions

    return [v for v in offered_versions(actor, "fillable_kiosk") if v.can_e_sign]


def kiosk_targets(actor: User) -> tuple[list[KioskDevice], list[AgencyLocation]]:
    """The agency's paired tablets and its locations, by name (what staff choose from)."""
    agency = _agency_id(actor)
    devices = list(db.session.scalars(select(KioskDevice).options(joinedload(KioskDevice.location))
                                      .where(KioskDevice.organization_id == agency,
                                             KioskDevice.secret_hash.is_not(None)).order_by(KioskDevice.name)))
    locations = list(db.session.scalars(select(AgencyLocation).where(AgencyLocation.organization_id == agency)
                                        .order_by(AgencyLocation.name)))
    return devices, locations


def _open_for(document: Document) -> KioskHandoff | None:
    return db.session.scalar(select(KioskHandoff).where(KioskHandoff.document_id == document.id,
                                                        KioskHandoff.status.in_(OPEN)).limit(1))


def hand_off(actor: User, client: Client, *, template_version: FormTemplateVersion | None = None,
             document: Document | None = None, device: KioskDevice | None = None,
             location: AgencyLocation | None = None) -> KioskHandoff:
    """Send a blank document of `template_version` (started here) or an existing `document` of the client to
    one tablet (`device`) or to any tablet at `location`; the tablet shows it to the client at once."""
    if not may_hand_off(actor, client):
        raise HandoffNotFound
    agency = actor.organization_id
    if device is not None:
        if device.organization_id != agency or not device.paired:
            raise TargetInvalid
        location = device.location
    if location is None or location.organization_id != agency:
        raise TargetInvalid
    if (template_version is None) == (document is None):
        raise NotFillableOnKiosk
    if document is None:
        if template_version.id not in {v.id for v in kiosk_versions(actor)}:
            raise NotFillableOnKiosk
        document = workflow.start_document(actor, client, template_version.template_id)
    elif document.client_id != client.id:
        raise HandoffNotFound
    version = document.template_version
    if not (version.fillable_kiosk and version.can_e_sign):
        raise NotFillableOnKiosk
    if not awaits_client(document):
        raise DocumentNotAwaitingClient
    if _open_for(document) is not None:
        raise HandoffAlreadyOpen
    if document.status == DocumentStatus.DRAFT:
        document.status = DocumentStatus.WAITING_CLIENT
    now = utcnow()
    handoff = KioskHandoff(organization_id=agency, client=client, document=document, location=location, device=device,
                           handed_by_id=actor.id, created_at=now, expires_at=now + HANDOFF_LIFETIME,
                           status=H.PENDING, code="".join(secrets.choice(CODE_ALPHABET) for _ in range(4)))
    db.session.add(handoff)
    db.session.flush()
    _audit("created", actor, handoff, target=device.name if device else f"location {location.id}")
    return handoff


def get_handoff_for(actor: User, handoff_id: int) -> KioskHandoff:
    """A hand-off of the actor's agency; any other raises HandoffNotFound (404)."""
    handoff = db.session.scalar(select(KioskHandoff).where(KioskHandoff.id == handoff_id,
                                                           KioskHandoff.organization_id == _agency_id(actor)))
    if handoff is None or not may_hand_off(actor, handoff):
        raise HandoffNotFound
    return handoff


def open_handoffs(client: Client) -> list[KioskHandoff]:
    """The client's pending and in-progress hand-offs, newest first (one query)."""
    return list(db.session.scalars(
        select(KioskHandoff).where(KioskHandoff.client_id == client.id, KioskHandoff.status.in_(OPEN))
        .options(joinedload(KioskHandoff.device), joinedload(KioskHandoff.location),
                 joinedload(KioskHandoff.handed_by), joinedload(KioskHandoff.document).joinedload(
                     Document.template_version))
        .order_by(KioskHandoff.created_at.desc(), KioskHandoff.id.desc()).limit(50)))


def open_handoff_of(document: Document) -> KioskHandoff | None:
    return _open_for(document)


def release(handoff: KioskHandoff, *, held: bool) -> None:
    """Back to pending, on no tablet; `held`: back with staff (shown again only once resent)."""
    handoff.status, handoff.active_device_id, handoff.step = H.PENDING, None, ""
    handoff.started_at = handoff.last_activity_at = None
    handoff.held = held
    if not held:
        handoff.dob_attempts = 0


def cancel_handoff(actor: User, handoff: KioskHandoff) -> None:
    """Take the document back from the kiosk (the tablet returns to its welcome screen); the document stays."""
    if not may_hand_off(actor, handoff):
        raise HandoffNotFound
    if not handoff.is_open:
        raise HandoffClosed
    handoff.status, handoff.active_device_id, handoff.step = H.CANCELLED, None, ""
    handoff.ended_at, handoff.ended_by_id = utcnow(), actor.id
    db.session.flush()
    _audit("cancelled", actor, handoff)


def resend_handoff(actor: User, handoff: KioskHandoff) -> None:
    """Offer it again at the tablet(s): pending from the start, with a fresh expiry."""
    if not may_hand_off(actor, handoff):
        raise HandoffNotFound
    if handoff.status not in (H.PENDING, H.IN_PROGRESS, H.EXPIRED) or not awaits_client(handoff.document):
        raise HandoffClosed
    release(handoff, held=False)
    now = utcnow()
    handoff.created_at, handoff.expires_at = now, now + HANDOFF_LIFETIME
    db.session.flush()
    _audit("resent", actor, handoff)


def notify_completed(handoff: KioskHandoff) -> None:
    """A link-only email to the staff member who handed it off (no client details, S14)."""
    staff = handoff.handed_by
    if staff is None or not staff.email:
        return
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + f"/staff/documents/{handoff.document_id}"
    enqueue_template(staff.email, "kiosk_handoff_completed", link=link,
                     key=f"kiosk-handoff-{handoff.id}-completed")


def expire_handoffs(now=None) -> int:
    """Worker batch: pending hand-offs past their expiry become expired (staff may resend them)."""
    now = now or utcnow()
    rows = list(db.session.scalars(select(KioskHandoff).where(KioskHandoff.status == H.PENDING,
                                                              KioskHandoff.expires_at <= now).limit(500)))
    for handoff in rows:
        handoff.status = H.EXPIRED
        audit.record("kiosk.handoff_expired", obj=handoff, client_id=handoff.client_id, site="worker")
    db.session.flush()
    return len(rows)
