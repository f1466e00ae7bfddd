"""The demo's appointments: every demo staff member works weekdays 9-12 and 13-17 (a weekend clinic when the demo
is loaded on a weekend), and the case managers see appointments today and across this week and the next, some
with a form for the client to fill out at home. Booked through the services (flushed, not committed)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ..accounts.models import AGENCY_STAFF_ROLES, Organization, Role, User
from ..clients.models import Client
from ..clock import utcnow
from ..documents.models import FormTemplate
from ..extensions import db
from ..portal_access.models import ClientAccess
from ..timefmt import to_local, to_utc
from . import availability, previsit, services
from .models import AppointmentMode, AppointmentStatus

WEEKDAY_HOURS = "9:00-12:00, 13:00-17:00"
WEEKEND_CLINIC = "10:00-14:00"
TODAY_TIMES = (time(10, 0), time(11, 0), time(13, 0))  # inside both the weekday hours and the weekend clinic
MODES = ((AppointmentMode.IN_PERSON, "Room 2, 200 River Road"), (AppointmentMode.VIDEO, ""),
         (AppointmentMode.PHONE, ""), (AppointmentMode.IN_PERSON, "Community center, 5 Elm St"))


def _workdays_after(day: date, count: int) -> date:
    while count:
        day += timedelta(days=1)
        count -= day.weekday() < 5
    return day


def _book(actor: User, client: Client, staff: User, day: date, at: time, n: int, minutes: int = 45):
    mode, place = MODES[n % len(MODES)]
    appointment = services.book_appointment(actor, client, staff, to_utc(datetime.combine(day, at)), minutes,
                                            mode=mode, place=place, notes="Demo appointment.")
    if appointment.ends_at <= utcnow():  # earlier this week: it happened (or not)
        appointment.status = AppointmentStatus.NO_SHOW if n % 5 == 4 else AppointmentStatus.COMPLETED
    return appointment


def load_agency(agency: Organization, today: date) -> int:
    """Hours for the agency's staff and its appointments; returns how many were booked."""
    staff = list(db.session.scalars(select(User).where(User.organization_id == agency.id,
                                                      User.role.in_(AGENCY_STAFF_ROLES)).order_by(User.id)))
    admin = next(p for p in staff if p.role == Role.ADMIN)
    weekly = availability.parse_ranges(WEEKDAY_HOURS)
    for person in staff:
        availability.set_weekly_hours(admin, person, {d: weekly if d < 5 else [] for d in range(7)})
        if today.weekday() >= 5:
            availability.set_exception(admin, person, today, availability.parse_ranges(WEEKEND_CLINIC),
                                       "Weekend clinic")
    workers = [p for p in staff if p.role == Role.CASE_MANAGER] or staff
    clients = list(db.session.scalars(select(Client).where(Client.organization_id == agency.id).order_by(Client.id)))
    booked, n = 0, 0
    for w, worker in enumerate(workers):
        for at in TODAY_TIMES[: 3 - w]:
            _book(admin, clients[n % len(clients)], worker, today, at, n)
            booked, n = booked + 1, n + 1
        monday = today - timedelta(days=today.weekday())
        for offset in range(12):  # the rest of this week and next week's weekdays
            day = monday + timedelta(days=offset)
            if day != today and day.weekday() < 5:
                _book(admin, clients[n % len(clients)], worker, day, time(9 + 5 * (offset % 2) + w), n)
                booked, n = booked + 1, n + 1
    booked += _forms_due(admin, agency, workers[0], today)
    return booked


def _forms_due(admin: User, agency: Organization, worker: User, today: date) -> int:
    """Clients with a portal account get an appointment at 15:00 in two workdays (its consent form is on their
    portal already) and one in seven workdays (its intake reaches the portal three days before)."""
    with_portal = list(db.session.scalars(
        select(Client).join(ClientAccess, ClientAccess.client_id == Client.id)
        .where(Client.organization_id == agency.id, ClientAccess.active).distinct().order_by(Client.id)))
    forms = {t.name: t for t in db.session.scalars(select(FormTemplate).where(FormTemplate.organization_id == agency.id))}
    booked = 0
    for client, days, form_name in zip(with_portal[:2], (2, 7), ("Consent for services", "Intake form"), strict=False):
        appointment = _book(admin, client, worker, _workdays_after(today, days), time(15, 0), booked)
        template = forms.get(form_name)
        if template is not None:
            previsit.add_form_at_home(worker, appointment, template.id)
        booked += 1
    return booked


def load_appointments(agencies: list[Organization]) -> int:
    """Every demo agency's staff hours and appointments (today, this week, the next)."""
    today = to_local(utcnow()).date()
    return sum(load_agency(agency, today) for agency in agencies)
