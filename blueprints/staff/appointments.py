"""Appointments: the calendars (day or week, per staff member or the agency), booking from a free slot or a
client's record, an appointment's details (move, cancel with a reason, status, notes, forms at home).

The calendar and the appointment panel answer htmx with their fragment (the full page includes the same
file) and work without JavaScript. Flash messages never name the client (they travel in the session cookie).
"""
from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for

from forms.staff.appointments import (
    AppointmentBookForm,
    AppointmentCancelForm,
    AppointmentDetailsForm,
    AppointmentMoveForm,
    AppointmentStatusForm,
    FormAtHomeForm,
)
from portal_app.appointments import calendar, previsit, queries, services
from portal_app.appointments.errors import AppointmentError
from portal_app.appointments.models import Appointment
from portal_app.authz import Permission, requires
from portal_app.clients.models import Client
from portal_app.clients.queries import get_client_for_staff, search_clients
from portal_app.clients.services import record_client_view
from portal_app.clock import utcnow
from portal_app.documents.errors import DocumentError
from portal_app.kiosk.errors import KioskError
from portal_app.kiosk.queries import locations_for
from portal_app.timefmt import local_input_value, to_local

from .._common import audited_page, place_refusal, savepoint
from .._common import current_actor as _actor
from . import bp
from .appointment_kiosk import kiosk_context

P = Permission.STAFF_APPOINTMENTS
FRAGMENT_HEADERS = {"Vary": "HX-Request"}


def _fragment() -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _slot_arg() -> datetime | None:
    """The ?start= of a free slot clicked on the calendar (local wall-clock time), or None."""
    try:
        start = datetime.fromisoformat((request.args.get("start") or "")[:16])
    except ValueError:
        return None
    return start if 1900 <= start.year <= 2999 else None


def _staff_arg() -> int | None:
    value = request.args.get("staff_id", type=int)
    return value if value and 0 < value < 2**31 else None


@bp.get("/appointments")
@requires(P)
def appointments():
    """The calendar: ?view=day|week, ?date=YYYY-MM-DD, ?staff_id= (one person) or the whole agency."""
    actor = _actor()
    staff = queries.agency_staff(actor)
    chosen = _staff_arg()
    person = queries.get_staff_for(actor, chosen) if chosen else None
    day = calendar.parse_day(request.args.get("date"), to_local(utcnow()).date())
    view = request.args.get("view", "day")
    cal = calendar.build(actor, view, day, [person] if person else staff)
    template = "staff/_partials/appointments_calendar.html" if _fragment() else "staff/appointments/calendar.html"
    return render_template(template, cal=cal, staff=staff, person=person), 200, FRAGMENT_HEADERS


@bp.get("/appointments/new")
@requires(P)
def appointment_new():
    """Book from a free slot: find the client, then the booking form opens with the slot filled in."""
    actor = _actor()
    staff_id, start = _staff_arg(), _slot_arg()
    person = queries.get_staff_for(actor, staff_id) if staff_id else None
    q = request.args.get("q", "")
    results = search_clients(actor, q, request.args.get("page", 1, type=int)) if q.strip() else None
    return render_template("staff/appointments/choose_client.html", person=person, start=start, q=q,
                           results=results)


def _client(client_id: int) -> Client:
    return get_client_for_staff(_actor(), client_id, P)


@bp.get("/clients/<int:client_id>/appointments")
@requires(P)
def client_appointments(client_id: int):
    """The client's appointments: upcoming (soonest first) and past, and Book appointment."""
    client = _client(client_id)
    upcoming, past = queries.client_appointments(client, utcnow())
    return audited_page("staff/appointments/client_list.html",
                        lambda: record_client_view(_actor(), client, page=request.endpoint),
                        client=client, upcoming=upcoming, past=past)


@bp.route("/clients/<int:client_id>/appointments/new", methods=["GET", "POST"])
@requires(P)
def client_appointment_new(client_id: int):
    """Book an appointment for the client (staff member and time pre-filled from a calendar slot)."""
    actor, client = _actor(), _client(client_id)
    staff = queries.agency_staff(actor)
    form = AppointmentBookForm(staff, staff_id=_staff_arg() or actor.id, starts_at=_slot_arg(),
                               locations=locations_for(actor))
    error, status = None, None
    if form.validate_on_submit():
        try:
            with savepoint():
                appointment = services.book_appointment(
                    actor, client, queries.get_staff_for(actor, form.staff_id.data), form.starts_at_utc(),
                    form.minutes.data, mode=form.mode.data, place=form.place.data or "", notes=form.notes.data or "",
                    location_id=form.location_id.data)
        except AppointmentError as err:
            error, status = place_refusal(err, form), err.status
        else:
            flash("The appointment was booked.", "success")
            return redirect(url_for("staff.appointment_detail", appointment_id=appointment.id))
    status = status or (422 if form.is_submitted() else 200)
    return audited_page("staff/appointments/book.html",
                        lambda: record_client_view(actor, client, page=request.endpoint), status,
                        client=client, form=form, error=error)


def _appointment(appointment_id: int) -> Appointment:
    return queries.get_appointment_for(_actor(), appointment_id)


def _detail(appointment: Appointment, status: int = 200, error: str | None = None, **forms):
    """The appointment page (or its panel, for htmx): details, forms due and the actions."""
    actor = _actor()
    staff = queries.agency_staff(actor)
    offered = previsit.at_home_templates(actor)
    local = local_input_value(appointment.starts_at)
    forms = {
        "move_form": AppointmentMoveForm(staff, formdata=None, staff_id=appointment.staff_id, starts_at=local,
                                         minutes=appointment.length_minutes, version_id=appointment.version_id),
        "details_form": AppointmentDetailsForm(formdata=None, obj=appointment, locations=locations_for(actor)),
        "cancel_form": AppointmentCancelForm(formdata=None), "status_form": AppointmentStatusForm(formdata=None),
        "home_form": FormAtHomeForm(offered, formdata=None), **forms}
    template = "staff/_partials/appointment_panel.html" if _fragment() else "staff/appointments/detail.html"
    page = audited_page(template, lambda: services.record_view(actor, appointment, request.endpoint), status,
                        client=appointment.client, appointment=appointment, offered=offered, error=error,
                        sends_at=previsit.sends_at(appointment), now=utcnow(),
                        **kiosk_context(actor, appointment, forms), **forms)
    return page[0], page[1], FRAGMENT_HEADERS


@bp.get("/appointments/<int:appointment_id>")
@requires(P)
def appointment_detail(appointment_id: int):
    """Who, when, how, status, notes and forms due; move, cancel, mark, add a form to fill out at home."""
    return _detail(_appointment(appointment_id))


def _act(appointment: Appointment, form, form_name: str, action, done: str):
    """Validate `form`, run `action()` in a savepoint, and redirect; a refusal re-renders the page with it."""
    if not form.validate_on_submit():
        return _detail(appointment, 422, **{form_name: form})
    try:
        with savepoint():
            action()
    except (AppointmentError, DocumentError, KioskError) as err:
        error = place_refusal(err, form)
        return _detail(appointment, err.status, error=error, **{form_name: form})
    flash(done, "success")
    return redirect(url_for("staff.appointment_detail", appointment_id=appointment.id))


def _version(form) -> int | None:
    try:
        return int(form.version_id.data)
    except (TypeError, ValueError):
        return None


@bp.post("/appointments/<int:appointment_id>/move")
@requires(P)
def appointment_move(appointment_id: int):
    """Move (reschedule): checked like a new booking (409 when the person is busy or not working then)."""
    actor, appointment = _actor(), _appointment(appointment_id)
    form = AppointmentMoveForm(queries.agency_staff(actor))
    return _act(appointment, form, "move_form", lambda: services.move_appointment(
        actor, appointment, queries.get_staff_for(actor, form.staff_id.data), form.starts_at_utc(),
        form.minutes.data, _version(form)), "The appointment was moved.")


@bp.post("/appointments/<int:appointment_id>/details")
@requires(P)
def appointment_details(appointment_id: int):
    """How (in person with a place, video, phone) and notes."""
    actor, appointment = _actor(), _appointment(appointment_id)
    form = AppointmentDetailsForm(locations=locations_for(actor))
    return _act(appointment, form, "details_form", lambda: services.update_details(
        actor, appointment, mode=form.mode.data, place=form.place.data or "", notes=form.notes.data or "",
        expected_version=_version(form), location_id=form.location_id.data), "The appointment's details were saved.")


@bp.post("/appointments/<int:appointment_id>/cancel")
@requires(P)
def appointment_cancel(appointment_id: int):
    """Cancel with a reason; the appointment stays, marked cancelled."""
    actor, appointment = _actor(), _appointment(appointment_id)
    form = AppointmentCancelForm()
    return _act(appointment, form, "cancel_form",
                lambda: services.cancel_appointment(actor, appointment, form.reason.data),
                "The appointment was cancelled.")


@bp.post("/appointments/<int:appointment_id>/status")
@requires(P)
def appointment_status(appointment_id: int):
    """Mark confirmed (the client said so), completed or no-show."""
    actor, appointment = _actor(), _appointment(appointment_id)
    form = AppointmentStatusForm()
    return _act(appointment, form, "status_form", lambda: services.set_status(actor, appointment, form.status.data),
                "The appointment's status was changed.")


@bp.post("/appointments/<int:appointment_id>/forms")
@requires(P)
def appointment_form_at_home(appointment_id: int):
    """"Have client fill out form at home": a document on the chosen form, linked to the appointment."""
    actor, appointment = _actor(), _appointment(appointment_id)
    form = FormAtHomeForm(previsit.at_home_templates(actor))
    return _act(appointment, form, "home_form",
                lambda: previsit.add_form_at_home(actor, appointment, form.template_id.data),
                "The form was added; it reaches the client's portal three days before the appointment "
                "(at once when the appointment is nearer).")
