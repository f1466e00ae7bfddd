"""Appointments: book, move, cancel with a reason, change status or details, and the forms due before them.

A staff member's calendar is checked under their calendar lock (portal_app/locks.py): two people booking the
same slot at the same moment are checked one after the other, so the second gets SlotTaken (409). Every
function takes the acting person as `actor`, records an audit event and flushes; the request commits.
Nothing is deleted: a cancelled appointment keeps its reason.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from babel.dates import format_date, format_time
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..accounts.models import User
from ..clients.models import Client
from ..clock import utcnow
from ..extensions import db
from ..kiosk.models import AgencyLocation
from ..locks import lock_staff_calendar
from ..plaintext import has_control_characters
from ..timefmt import to_local
from .availability import fits, format_ranges, hours_on, rows_for
from .errors import (
    AppointmentInvalid,
    OutsideHours,
    SlotTaken,
    StaleAppointment,
    WrongAppointmentStatus,
)
from .models import HOLDS_TIME, OPEN, Appointment, AppointmentMode, AppointmentStatus

S = AppointmentStatus
MIN_MINUTES, MAX_MINUTES = 5, 8 * 60
MAX_PLACE, MAX_NOTES, MAX_REASON = 200, 4000, 1000


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as err:
        raise StaleAppointment from err


def _audit(action: str, actor: Any, appointment: Appointment, site: str | None = None, **details: Any) -> None:
    audit.record(f"appointment.{action}", actor, obj=appointment, client_id=appointment.client_id, site=site,
                 details=details or None)


def _when(local: datetime) -> str:
    """Staff read these sentences in English ("Nov 24, 2026")."""
    return format_date(local, "medium", locale="en")


def _clock(value) -> str:
    return format_time(value, "short", locale="en").replace("\u202f", " ")


def _check_details(minutes: int, mode: str, place: str, notes: str) -> None:
    if not isinstance(minutes, int) or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise AppointmentInvalid(f"Choose a length from {MIN_MINUTES} to {MAX_MINUTES} minutes.", field="minutes")
    if mode not in {m.value for m in AppointmentMode}:
        raise AppointmentInvalid("Choose in person, video or phone.", field="mode")
    if len(place) > MAX_PLACE or has_control_characters(place):
        raise AppointmentInvalid(f"Use at most {MAX_PLACE} characters for the place, on one line.", field="place")
    if len(notes) > MAX_NOTES or has_control_characters(notes, multiline=True):
        raise AppointmentInvalid(f"Use at most {MAX_NOTES:,} characters for the notes.", field="notes")


def check_slot(staff: User, starts_at: datetime, ends_at: datetime, ignore_id: int | None = None) -> None:
    """Refuse (409) a time the staff member is not working, or one that overlaps another of their appointments.
    Call under the staff member's calendar lock."""
    local_start, local_end = to_local(starts_at), to_local(ends_at)
    day = local_start.date()
    ranges = hours_on(rows_for([staff.id], day, day), staff.id, day)
    if not fits(ranges, local_start, local_end):
        if not ranges:
            raise OutsideHours(f"{staff.display_name} is not available on {_when(local_start)}. "
                               "Choose another day, or change their hours under Availability.")
        hours = ", ".join(f"{_clock(s)}\u2013{_clock(e)}" for s, e in ranges)
        raise OutsideHours(f"{staff.display_name} works {hours} on {_when(local_start)}: the appointment must "
                           "fit within those hours. Choose another time or a shorter length.")
    clash = db.session.scalar(
        select(Appointment).where(Appointment.staff_id == staff.id, Appointment.status.in_(HOLDS_TIME),
                                  Appointment.starts_at < ends_at, Appointment.ends_at > starts_at,
                                  Appointment.id != (ignore_id or 0))
        .order_by(Appointment.starts_at).limit(1))
    if clash is not None:
        raise SlotTaken(f"{staff.display_name} already has an appointment from {_clock(to_local(clash.starts_at))} "
                        f"to {_clock(to_local(clash.ends_at))} on {_when(to_local(clash.starts_at))}. "
                        "Choose another time (nothing was booked).")


def _check_staff(actor: User, staff: User, client: Client) -> None:
    if not (staff.is_staff and staff.enabled and staff.organization_id == actor.organization_id
            and client.organization_id == actor.organization_id):
        raise AppointmentInvalid("Choose a staff member of your agency.", field="staff_id")


def _location(actor: User, mode: str, location_id: int | None) -> AgencyLocation | None:
    """The chosen location of the actor's agency (in person only); another agency's reads as not offered."""
    if mode != AppointmentMode.IN_PERSON or location_id is None:
        return None
    location = db.session.scalar(select(AgencyLocation).where(AgencyLocation.id == location_id,
                                                              AgencyLocation.organization_id == actor.organization_id))
    if location is None:
        raise AppointmentInvalid("Choose one of your agency's locations.", field="location_id")
    return location


def book_appointment(actor: User, client: Client, staff: User, starts_at: datetime, minutes: int, *,
                     mode: str = AppointmentMode.IN_PERSON, place: str = "", notes: str = "",
                     location_id: int | None = None) -> Appointment:
    """A new appointment (booked), if the staff member works then and is free."""
    place, notes = (place or "").strip(), (notes or "").strip()
    _check_staff(actor, staff, client)
    _check_details(minutes, mode, place, notes)
    location = _location(actor, mode, location_id)
    ends_at = starts_at + timedelta(minutes=minutes)
    lock_staff_calendar(staff.id)
    check_slot(staff, starts_at, ends_at)
    appointment = Appointment(organization_id=client.organization_id, client=client, staff=staff,
                              starts_at=starts_at, ends_at=ends_at, mode=mode, place=place if mode == "in_person" else "",
                              notes=notes, status=S.BOOKED, created_by_id=actor.id, created_at=utcnow(),
                              location=location)
    db.session.add(appointment)
    _flush()
    _audit("booked", actor, appointment, staff_id=staff.id, starts_at=starts_at.isoformat(), minutes=minutes)
    return appointment


def _require_open(appointment: Appointment, doing: str) -> None:
    if appointment.status not in OPEN:
        raise WrongAppointmentStatus(f"This appointment is \u201c{appointment.status_label}\u201d, so it cannot be "
                                     f"{doing} now.")


def _expect(appointment: Appointment, version: int | None) -> None:
    if version is not None and version != appointment.version_id:
        raise StaleAppointment


def move_appointment(actor: User, appointment: Appointment, staff: User, starts_at: datetime, minutes: int,
                     expected_version: int | None = None) -> None:
    """Reschedule (another time, length or staff member): checked like a new booking; the client confirms again."""
    _require_open(appointment, "moved")
    _expect(appointment, expected_version)
    _check_staff(actor, staff, appointment.client)
    _check_details(minutes, appointment.mode, appointment.place, appointment.notes)
    ends_at = starts_at + timedelta(minutes=minutes)
    for staff_id in sorted({appointment.staff_id, staff.id}):  # always in one order: no deadlock between two moves
        lock_staff_calendar(staff_id)
    check_slot(staff, starts_at, ends_at, ignore_id=appointment.id)
    before = (appointment.staff_id, appointment.starts_at.isoformat(), appointment.length_minutes)
    appointment.staff, appointment.starts_at, appointment.ends_at = staff, starts_at, ends_at
    appointment.status, appointment.confirmed_at, appointment.confirmed_by_account_id = S.BOOKED, None, None
    appointment.reminder_sent_at = None
    _flush()
    _audit("moved", actor, appointment, before={"staff_id": before[0], "starts_at": before[1], "minutes": before[2]},
           staff_id=staff.id, starts_at=starts_at.isoformat(), minutes=minutes)


def update_details(actor: User, appointment: Appointment, *, mode: str, place: str, notes: str,
                   expected_version: int | None = None, location_id: int | None = None) -> None:
    """Mode, location, place and notes (any status: notes are often written afterwards)."""
    place, notes = (place or "").strip(), (notes or "").strip()
    _expect(appointment, expected_version)
    _check_details(appointment.length_minutes, mode, place, notes)
    location = _location(actor, mode, location_id)
    appointment.mode, appointment.place, appointment.notes = mode, place if mode == "in_person" else "", notes
    appointment.location = location
    _flush()
    _audit("details_changed", actor, appointment, mode=mode)


def cancel_appointment(actor: User, appointment: Appointment, reason: str) -> None:
    """Cancel with a reason: the appointment stays, marked cancelled, and frees the staff member's time."""
    _require_open(appointment, "cancelled")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON or has_control_characters(reason, multiline=True):
        raise AppointmentInvalid(f"Say why the appointment is cancelled (at most {MAX_REASON:,} characters).",
                                 field="reason")
    appointment.status, appointment.cancel_reason = S.CANCELLED, reason
    appointment.cancelled_by_id, appointment.cancelled_at = actor.id, utcnow()
    _flush()
    _audit("cancelled", actor, appointment)


STAFF_STATUSES = {S.CONFIRMED: "confirmed", S.COMPLETED: "completed", S.NO_SHOW: "no_show"}


def set_status(actor: User, appointment: Appointment, status: str) -> None:
    """Staff mark an open appointment confirmed (the client said so by phone), completed or a no-show."""
    if status not in STAFF_STATUSES:
        raise AppointmentInvalid("Choose confirmed, completed or no-show.", field="status")
    if not (appointment.status in OPEN or (appointment.status == S.CHECKED_IN and status != S.CONFIRMED)):
        _require_open(appointment, "changed")
    if status in (S.COMPLETED, S.NO_SHOW) and appointment.starts_at > utcnow():
        raise WrongAppointmentStatus("An appointment that has not started yet cannot be completed or a no-show.",
                                     field="status")
    appointment.status = status
    if status == S.CONFIRMED:
        appointment.confirmed_at = utcnow()
    _flush()
    _audit("status_changed", actor, appointment, status=status)


def record_view(actor: Any, appointment: Appointment, page: str, site: str | None = None) -> None:
    """Opening an appointment is a view of the client's record (S13)."""
    _audit("viewed", actor, appointment, site=site, page=page)


def hours_text(staff: User, day) -> str:
    """The staff member's hours on a date, as typed ("" when not working)."""
    return format_ranges(hours_on(rows_for([staff.id], day, day), staff.id, day))
