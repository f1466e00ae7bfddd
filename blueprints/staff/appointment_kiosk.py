"""An appointment and the waiting-room kiosks: "Have client fill out form on kiosk" (a blank kiosk-fillable
form or one of the appointment's forms due, to a tablet or any tablet at a location), the appointment's
hand-offs with their status, and Check in (the forms still unsigned are queued for the kiosk at the
appointment's location). Both actions re-render the appointment page with a refusal, else redirect to it.
"""
from __future__ import annotations

from flask import flash

from forms.fields import ConfirmForm
from forms.staff.appointment_kiosk import AppointmentKioskForm
from portal_app.appointments import kiosk_links
from portal_app.appointments.models import Appointment
from portal_app.authz import Permission, can, requires
from portal_app.kiosk import handoffs
from portal_app.kiosk.policy import kiosk_module_on
from portal_app.kiosk.queries import target_of

from .._common import current_actor as _actor
from . import bp


def _due(appointment: Appointment) -> list:
    return [link.document for link in appointment.forms if handoffs.awaits_client(link.document)]


def kiosk_form(actor, appointment: Appointment, formdata=None) -> AppointmentKioskForm:
    """The "on kiosk" form; the appointment's location is the default target."""
    devices, locations = handoffs.kiosk_targets(actor)
    default = f"location:{appointment.location_id}" if appointment.location_id else None
    kwargs = {} if formdata is not None else {"formdata": None, "target": default}
    return AppointmentKioskForm(handoffs.kiosk_versions(actor), _due(appointment), devices, locations, **kwargs)


def kiosk_context(actor, appointment: Appointment, forms: dict) -> dict:
    """What the appointment panel shows about kiosks (a few queries; no kiosk form when not allowed); takes
    the submitted "on kiosk" or check-in form out of `forms` when the page re-renders with its errors."""
    context = {"check_in_form": forms.pop("check_in_form", None) or ConfirmForm(formdata=None),
               "may_check_in": kiosk_links.may_check_in(appointment), "kiosk_form": None, "kiosk_handoffs": []}
    submitted = forms.pop("kiosk_form", None)
    context["kiosk_on"] = kiosk_module_on(actor)  # check-in says where forms go only while kiosks are in use
    if can(actor, Permission.STAFF_KIOSK, appointment.client):
        context["kiosk_form"] = submitted or kiosk_form(actor, appointment)
        context["kiosk_handoffs"] = kiosk_links.appointment_handoffs(appointment)
    return context


@bp.post("/appointments/<int:appointment_id>/kiosk")
@requires(Permission.STAFF_KIOSK)
def appointment_kiosk(appointment_id: int):
    """"Have client fill out form on kiosk": the chosen form goes to the chosen tablet(s) for the client."""
    from .appointments import _act, _appointment

    actor, appointment = _actor(), _appointment(appointment_id)
    form = kiosk_form(actor, appointment, formdata=True)

    def send() -> None:
        kind, ident = form.chosen()
        device, location = target_of(actor, form.target.data)
        document = next((d for d in _due(appointment) if d.id == ident), None) if kind == "document" else None
        version = next((v for v in handoffs.kiosk_versions(actor) if v.template_id == ident), None)
        kiosk_links.hand_off_for(actor, appointment, document=document,
                                 template_version=version if kind == "template" else None,
                                 device=device, location=location)

    return _act(appointment, form, "kiosk_form", send,
                "The form was sent to the kiosk. The client confirms their date of birth there first.")


@bp.post("/appointments/<int:appointment_id>/check-in")
@requires(Permission.STAFF_APPOINTMENTS)
def appointment_check_in(appointment_id: int):
    """Check in: the client has arrived; forms still unsigned go to the kiosk at the appointment's location
    (while the agency's Kiosk module is on)."""
    from .appointments import _act, _appointment

    actor, appointment = _actor(), _appointment(appointment_id)
    result: list = []
    response = _act(appointment, ConfirmForm(), "check_in_form",
                    lambda: result.append(kiosk_links.check_in(actor, appointment)), "The client was checked in.")
    if result:
        done = result[0]
        if done.queued:
            flash(f"{len(done.queued)} form(s) still to sign were sent to the kiosk at "
                  f"{appointment.location.name}.", "success")
        for document, reason in done.skipped:
            flash(f"\u201c{document.title()}\u201d did not go to a kiosk: {reason}. Hand it off by hand.", "error")
    return response
