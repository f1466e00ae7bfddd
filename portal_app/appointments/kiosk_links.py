"""Appointments and waiting-room kiosks: "Have client fill out form on kiosk" from an appointment, the
appointment's hand-offs, and check-in, which queues the appointment's still-unsigned forms for the tablets
at its location (one hand-off per form, in the order they were added; a tablet there shows them one after
another, oldest first), so staff do not hand them off by hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import audit
from ..accounts.models import User
from ..authz import Permission, can
from ..clock import utcnow
from ..documents.models import FormTemplateVersion
from ..documents.records import Document
from ..extensions import db
from ..kiosk import handoffs
from ..kiosk.errors import KioskError
from ..kiosk.models import AgencyLocation, KioskDevice, KioskHandoff
from ..kiosk.policy import kiosk_module_on
from ..timefmt import to_local
from .errors import WrongAppointmentStatus
from .models import OPEN, Appointment, AppointmentStatus

SHOWN = 50


def hand_off_for(actor: User, appointment: Appointment, *, template_version: FormTemplateVersion | None = None,
                 document: Document | None = None, device: KioskDevice | None = None,
                 location: AgencyLocation | None = None) -> KioskHandoff:
    """A blank form (or one of the appointment's forms due) to a tablet or any tablet at a location, for the
    appointment's client; the hand-off is linked to the appointment. Refusals are the kiosk domain's."""
    if appointment.status not in (*OPEN, AppointmentStatus.CHECKED_IN):
        raise WrongAppointmentStatus(f"This appointment is \u201c{appointment.status_label}\u201d, so no form can "
                                     "go to a kiosk for it now.", field="target")
    if document is not None and document.id not in {link.document_id for link in appointment.forms}:
        raise WrongAppointmentStatus("Choose one of this appointment's forms, or a blank form.", field="template_id")
    handoff = handoffs.hand_off(actor, appointment.client, template_version=template_version, document=document,
                                device=device, location=location)
    handoff.appointment_id = appointment.id
    db.session.flush()
    audit.record("appointment.kiosk_handoff", actor, obj=appointment, client_id=appointment.client_id,
                 details={"handoff": handoff.id, "document": handoff.document_id})
    return handoff


def appointment_handoffs(appointment: Appointment) -> list[KioskHandoff]:
    """The appointment's hand-offs, oldest first, with their form, tablet and location (one query)."""
    return list(db.session.scalars(
        select(KioskHandoff).where(KioskHandoff.appointment_id == appointment.id,
                                   KioskHandoff.organization_id == appointment.organization_id)
        .options(joinedload(KioskHandoff.device), joinedload(KioskHandoff.location),
                 joinedload(KioskHandoff.document).joinedload(Document.template_version))
        .order_by(KioskHandoff.created_at, KioskHandoff.id).limit(SHOWN)))


@dataclass
class CheckIn:
    """What check-in queued for the kiosk, and the forms it could not queue (with the reason)."""

    queued: list[KioskHandoff] = field(default_factory=list)
    skipped: list[tuple[Document, str]] = field(default_factory=list)


def may_check_in(appointment: Appointment) -> bool:
    """Open, and today in the agency's time zone."""
    return appointment.status in OPEN and to_local(appointment.starts_at).date() == to_local(utcnow()).date()


def check_in(actor: User, appointment: Appointment) -> CheckIn:
    """The client has arrived: mark the appointment checked in (audited), then queue each linked form still
    waiting for the client for the kiosk(s) at the appointment's location (none while the agency's Kiosk
    module is off: the client is checked in all the same). Nothing reaches a tablet before."""
    if appointment.status not in OPEN:
        raise WrongAppointmentStatus(f"This appointment is \u201c{appointment.status_label}\u201d, so the client "
                                     "cannot be checked in.")
    if not may_check_in(appointment):
        raise WrongAppointmentStatus("A client can be checked in only on the day of their appointment.")
    appointment.status = AppointmentStatus.CHECKED_IN
    appointment.checked_in_at, appointment.checked_in_by_id = utcnow(), actor.id
    db.session.flush()
    result = _queue_unsigned(actor, appointment)
    audit.record("appointment.checked_in", actor, obj=appointment, client_id=appointment.client_id,
                 details={"queued": [h.id for h in result.queued], "not_queued": len(result.skipped)})
    return result


def _queue_unsigned(actor: User, appointment: Appointment) -> CheckIn:
    result = CheckIn()
    if not kiosk_module_on(actor):
        return result  # no kiosk in use: nothing to queue, nothing to explain
    waiting = [link.document for link in appointment.forms if handoffs.awaits_client(link.document)]
    if not waiting:
        return result
    if appointment.location is None:
        result.skipped = [(d, "the appointment has no location with a kiosk") for d in waiting]
        return result
    if not can(actor, Permission.STAFF_KIOSK, appointment.client):
        result.skipped = [(d, "you cannot hand forms to kiosks") for d in waiting]
        return result
    for document in waiting:
        if handoffs.open_handoff_of(document) is not None:
            continue  # already at a kiosk (handed off by hand): it stays as it is
        try:
            with db.session.begin_nested():
                result.queued.append(hand_off_for(actor, appointment, document=document,
                                                  location=appointment.location))
        except KioskError as err:
            result.skipped.append((document, str(err)))
    return result
