"""Portal appointments: the acted-for client's upcoming appointments, Confirm, Ask to reschedule (a message to
the staff member). Plain forms, no JavaScript needed."""
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from forms.fields import ConfirmForm
from forms.portal.appointments import RescheduleForm
from portal_app.appointments import portal as appointments
from portal_app.appointments.errors import AppointmentError, AppointmentNotFound
from portal_app.authz import Permission, can, requires
from portal_app.clock import utcnow

from .._common import current_actor, place_refusal, savepoint
from . import bp

P = Permission.PORTAL_APPOINTMENTS


def _appointment(appointment_id: int):
    """The acted-for client's appointment visible to this access; 404 for any other (or a hidden one)."""
    access = g.get("acting")
    appointment = appointments.get_portal_appointment_for(access, appointment_id)
    if not can(current_actor(), P, (access, appointment)):
        raise AppointmentNotFound
    return access, appointment


@bp.get("/appointments")
@requires(P)
def appointments_list():
    """Upcoming appointments: when (agency time), with whom (first name), how or where; Confirm; Ask to reschedule."""
    access = g.get("acting") or abort(404)
    upcoming = appointments.upcoming_for(access, utcnow())
    appointments.record_view(access, "portal.appointments_list")
    return render_template("portal/appointments/list.html", upcoming=upcoming, form=ConfirmForm())


@bp.post("/appointments/<int:appointment_id>/confirm")
@requires(P)
def appointment_confirm(appointment_id: int):
    """"I will come": the appointment is confirmed (audited)."""
    access, appointment = _appointment(appointment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    appointments.confirm(access, appointment)
    flash(_("Thank you. Your appointment is confirmed."), "success")
    return redirect(url_for("portal.appointments_list"))


@bp.route("/appointments/<int:appointment_id>/reschedule", methods=["GET", "POST"])
@requires(P)
def appointment_reschedule(appointment_id: int):
    """Ask to reschedule: the client's words go to the staff member as a message."""
    access, appointment = _appointment(appointment_id)
    form = RescheduleForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            with savepoint():
                appointments.ask_to_reschedule(access, appointment, form.message.data)
        except AppointmentError as err:
            error, status = place_refusal(err, form), err.status
        else:
            flash(_("Your request was sent. The agency will answer you in Messages."), "success")
            return redirect(url_for("portal.appointments_list"))
    elif form.is_submitted():
        status = 422
    return render_template("portal/appointments/reschedule.html", appointment=appointment, form=form,
                           error=error), status
