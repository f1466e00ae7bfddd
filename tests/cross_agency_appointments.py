"""The cross-agency matrix's cases for appointments (tests/test_cross_agency_matrix.py): agency B's people on
agency A's appointments, clients' appointment pages and staff members' availability get 404; B booking its own
client with A's staff member is refused and books nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from portal_app.appointments.models import Appointment
from portal_app.extensions import db


def _a_appointment(w):
    """Agency A's client's appointment with A's case manager (made once per world)."""
    if "appointment" not in w.a:
        from tests.authz_objects_domains import _appointment_for

        appointment_id = _appointment_for(w.a, w.a["client"])["appointment_id"]
        w.a["appointment"] = db.session.get(Appointment, appointment_id)
    return w.a["appointment"]


def _booking(staff_id: int) -> dict:
    return {"staff_id": str(staff_id), "starts_at": "2030-01-07T10:00", "minutes": "60", "mode": "in_person"}


_HOURS = {f"day_{d}": "9:00-17:00" for d in range(7)}
APPOINTMENT_PATH_CASES: dict = {
    "staff.client_appointments": [lambda w: ({"client_id": w.a["client"].id}, {})],
    "staff.client_appointment_new": [lambda w: ({"client_id": w.a["client"].id}, _booking(w.a["case_manager"].id))],
    "staff.appointment_detail": [lambda w: ({"appointment_id": _a_appointment(w).id}, {})],
    "staff.appointment_move": [lambda w: ({"appointment_id": _a_appointment(w).id}, _booking(w.a["case_manager"].id))],
    "staff.appointment_details": [lambda w: ({"appointment_id": _a_appointment(w).id},
                                             {"mode": "phone", "place": "", "notes": "Taken"})],
    "staff.appointment_cancel": [lambda w: ({"appointment_id": _a_appointment(w).id}, {"reason": "Taken"})],
    "staff.appointment_status": [lambda w: ({"appointment_id": _a_appointment(w).id}, {"status": "confirmed"})],
    "staff.appointment_form_at_home": [lambda w: ({"appointment_id": _a_appointment(w).id},
                                                  {"template_id": str(w.a["form"].id)})],
    "staff.appointment_kiosk": [lambda w: ({"appointment_id": _a_appointment(w).id},
                                           {"kiosk-template_id": f"template:{w.a['form'].id}",
                                            "kiosk-target": f"location:{w.a['location'].id}"})],
    "staff.appointment_check_in": [lambda w: ({"appointment_id": _a_appointment(w).id}, {})],
    "staff.availability_edit": [lambda w: ({"user_id": w.a["case_manager"].id}, {})],
    "staff.availability_weekly": [lambda w: ({"user_id": w.a["case_manager"].id}, _HOURS)],
    "staff.availability_exception": [lambda w: ({"user_id": w.a["case_manager"].id},
                                                {"on_date": "2030-01-07", "hours": "", "note": "Taken"})],
    "staff.availability_exception_remove": [lambda w: ({"user_id": w.a["case_manager"].id}, {"on_date": "2030-01-07"})],
    "portal.appointment_confirm": [lambda w: ({"appointment_id": _a_appointment(w).id}, {})],
    "portal.appointment_reschedule": [lambda w: ({"appointment_id": _a_appointment(w).id}, {"message": "Taken"})],
}


APPOINTMENT_FORM_CASES: dict = {
    "staff.client_appointment_new": lambda w: (
        {"client_id": w.b["client"].id}, _booking(w.a["case_manager"].id),
        lambda: db.session.scalar(select(func.count(Appointment.id))) == 0),
}
