"""The demo (issue 12, item 6): every demo staff member has hours; appointments today and this week, some with
forms due, also when the demo is loaded on a Sunday (a weekend clinic today)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal_app.accounts.models import AGENCY_STAFF_ROLES, User
from portal_app.appointments.models import (
    Appointment,
    AppointmentForm,
    StaffAvailability,
)
from portal_app.demo import load_demo
from portal_app.extensions import db
from portal_app.timefmt import to_local


def test_demo_staff_hours_and_appointments_today_and_this_week(frozen_clock):  # a Sunday
    assert load_demo() is True
    staff = db.session.scalars(select(User).where(User.role.in_(AGENCY_STAFF_ROLES))).all()
    with_hours = set(db.session.scalars(select(StaffAvailability.user_id).where(StaffAvailability.weekday.is_not(None))))
    assert staff and {p.id for p in staff} <= with_hours
    today = to_local(frozen_clock.utcnow()).date()
    starts = [to_local(s).date() for s in db.session.scalars(select(Appointment.starts_at))]
    assert starts.count(today) >= 5
    assert sum(today - timedelta(days=today.weekday()) <= d <= today + timedelta(days=6 - today.weekday())
               for d in starts) >= 10
    casey = db.session.scalar(select(User).where(User.email == "casey@riverside.example"))
    assert db.session.scalar(select(func.count(Appointment.id)).where(Appointment.staff_id == casey.id)) >= 5
    assert db.session.scalar(select(func.count(AppointmentForm.id))) >= 2
