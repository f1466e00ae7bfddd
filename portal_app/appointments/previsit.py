"""Before an appointment: forms the client fills out at home (pre-check-in) and the reminder email.

"Have client fill out form at home" starts a document on a portal-fillable form and links it to the
appointment. It reaches the client's portal three days before the appointment (at once when the appointment
is nearer): the worker sends what is due. The day before, the worker emails each of the client's portal
accounts a reminder (a link, no details), once per appointment and time.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from .. import audit
from ..accounts.models import User
from ..clock import utcnow
from ..documents import workflow
from ..documents.errors import NoPortalAccount
from ..documents.records import Document, DocumentStatus
from ..errors import DomainError
from ..extensions import db
from ..outbox import enqueue_template
from ..portal_access.models import ClientAccess, HiddenItem, PortalAccount
from ..timefmt import agency_zone, to_local
from .errors import AppointmentInvalid, WrongAppointmentStatus
from .models import ITEM_TYPE, OPEN, Appointment, AppointmentForm

PRECHECKIN_DAYS = 3


def at_home_templates(actor: User) -> list:
    """The agency's published forms that clients fill out on the portal: (template, current version)."""
    return [(t, v) for t, v in workflow.offered_templates(actor) if v.fillable_portal and not v.paper_only]


def sends_at(appointment: Appointment) -> datetime:
    """When the forms of an appointment reach the portal (pre-check-in)."""
    return appointment.starts_at - timedelta(days=PRECHECKIN_DAYS)


def add_form_at_home(actor: User, appointment: Appointment, template_id: int | None) -> AppointmentForm:
    """Start a document for the client on the chosen form, linked to the appointment; send it now when the
    appointment is at most three days away (else the worker does, three days before)."""
    if appointment.status not in OPEN or appointment.starts_at <= utcnow():
        raise WrongAppointmentStatus("Forms can be added only to an appointment that is still ahead.",
                                     field="template_id")
    if template_id not in {t.id for t, _v in at_home_templates(actor)}:
        raise AppointmentInvalid("Choose a form that clients can fill out on the portal.", field="template_id")
    document = workflow.start_document(actor, appointment.client, template_id)
    if not workflow.portal_recipients(document):
        raise NoPortalAccount(field="template_id")
    link = AppointmentForm(appointment=appointment, document=document, added_by_id=actor.id, added_at=utcnow())
    db.session.add(link)
    db.session.flush()
    if sends_at(appointment) <= utcnow():
        workflow.send_to_portal(actor, document)
    audit.record("appointment.form_added", actor, obj=appointment, client_id=appointment.client_id,
                 details={"document_id": document.id, "sent": document.sent_at is not None})
    return link


def due_precheckin_ids(now: datetime, limit: int = 50) -> list[int]:
    """Linked forms not yet sent whose appointment (still open) starts within three days."""
    return list(db.session.scalars(
        select(AppointmentForm.id).join(Appointment, Appointment.id == AppointmentForm.appointment_id)
        .join(Document, Document.id == AppointmentForm.document_id)
        .where(Document.status == DocumentStatus.DRAFT, Document.sent_at.is_(None), AppointmentForm.send_problem == "",
               Appointment.status.in_(OPEN), Appointment.starts_at > now,
               Appointment.starts_at <= now + timedelta(days=PRECHECKIN_DAYS))
        .order_by(AppointmentForm.id).limit(limit)))


def send_precheckin(form_id: int) -> bool:
    """Send one linked form to the portal as the staff member who added it; a refusal is kept on the link
    (shown on the appointment) and not retried. True when sent."""
    link = db.session.get(AppointmentForm, form_id)
    if link is None or link.document.sent_at is not None or link.send_problem:
        return False
    try:
        with db.session.begin_nested():
            workflow.send_to_portal(link.added_by, link.document)
    except DomainError as err:
        link.send_problem = str(err)[:300]
        db.session.flush()
        return False
    return True


# --- the reminder the day before -------------------------------------------------------------------------

def _tomorrow_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The start and end of tomorrow in the agency's zone, as UTC."""
    zone = agency_zone()
    tomorrow = to_local(now).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, datetime.min.time(), tzinfo=zone)
    return start, datetime.combine(tomorrow + timedelta(days=1), datetime.min.time(), tzinfo=zone)


def due_reminder_ids(now: datetime, limit: int = 100) -> list[int]:
    """Open appointments tomorrow (agency time) whose reminder has not gone out."""
    start, end = _tomorrow_bounds(now)
    return list(db.session.scalars(
        select(Appointment.id).where(Appointment.status.in_(OPEN), Appointment.reminder_sent_at.is_(None),
                                     Appointment.starts_at >= start, Appointment.starts_at < end)
        .order_by(Appointment.starts_at, Appointment.id).limit(limit)))


def reminder_recipients(appointment: Appointment) -> list[PortalAccount]:
    """The client's portal accounts that may see this appointment (active, enabled, not hidden from them)."""
    hidden = select(HiddenItem.access_id).where(HiddenItem.item_type == ITEM_TYPE, HiddenItem.item_id == appointment.id)
    return list(db.session.scalars(
        select(PortalAccount).join(ClientAccess, ClientAccess.account_id == PortalAccount.id)
        .where(ClientAccess.client_id == appointment.client_id, ClientAccess.readable(),
               ClientAccess.id.not_in(hidden)).order_by(PortalAccount.id)))


def send_reminder(appointment_id: int, now: datetime) -> int:
    """Email each portal account with an email a link (no details, S14); once per appointment and time (the
    row is claimed, and each email's idempotency key names the appointment, its start and the account)."""
    query = select(Appointment).where(Appointment.id == appointment_id, Appointment.reminder_sent_at.is_(None))
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    appointment = db.session.scalar(query)
    if appointment is None or appointment.status not in OPEN:
        return 0
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/portal/appointments"
    agency = appointment.client.organization.name
    sent = 0
    for account in reminder_recipients(appointment):
        if account.email:
            key = f"appt-reminder-{appointment.id}-{int(appointment.starts_at.timestamp())}-{account.id}"
            enqueue_template(account.email, "appointment_reminder", key=key, agency_name=agency, link=link,
                             language=account.language)
            sent += 1
    appointment.reminder_sent_at = now
    db.session.flush()
    audit.record("appointment.reminder_sent", obj=appointment, client_id=appointment.client_id, site="worker",
                 details={"emails": sent})
    return sent

