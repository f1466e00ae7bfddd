"""The demo's appointments: every demo staff member works weekdays 9-12 and 13-17 (a weekend clinic when the demo
is loaded on a weekend), and the case managers see appointments today and across this week and the next, some
with a form for the client to fill out at home; in-person ones are at the agency's demo locations, and one
today (a short visit at 11:45) waits to be checked in with a form for the kiosk. Booked through the services
(flushed, not committed)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ..accounts.models import AGENCY_STAFF_ROLES, Organization, Role, User
from ..clients.models import Client
from ..clock import utcnow
from ..documents import workflow
from ..documents.models import FormTemplate
from ..extensions import db
from ..kiosk.models import AgencyLocation
from ..portal_access.models import ClientAccess
from ..timefmt import to_local, to_utc
from . import availability, previsit, services
from .models import AppointmentForm, AppointmentMode, AppointmentStatus

WEEKDAY_HOURS = "9:00-12:00, 13:00-17:00"
WEEKEND_CLINIC = "10:00-14:00"
TODAY_TIMES = (time(10, 0), time(11, 0), time(13, 0))  # inside both the weekday hours and the weekend clinic
# (mode, place, which of the agency's demo locations): the first location is where the demo kiosk stands.
MODES = ((AppointmentMode.IN_PERSON, "Room 2", 0), (AppointmentMode.VIDEO, "", None),
         (AppointmentMode.PHONE, "", None), (AppointmentMode.IN_PERSON, "", 1))
CHECK_IN_AT, CHECK_IN_FORM = time(11, 45), "Release of information"


def _workdays_after(day: date, count: int) -> date:
    while count:
        day += timedelta(days=1)
        count -= day.weekday() < 5
    return day


def _locations(agency: Organization) -> list[AgencyLocation]:
    return list(db.session.scalars(select(AgencyLocation).where(AgencyLocation.organization_id == agency.id)
                                   .order_by(AgencyLocation.id)))


def _book(actor: User, client: Client, staff: User, day: date, at: time, n: int, minutes: int = 45):
    mode, place, which = MODES[n % len(MODES)]
    places = _locations(actor.organization)
    location = places[which].id if which is not None and which < len(places) else None
    appointment = services.book_appointment(actor, client, staff, to_utc(datetime.combine(day, at)), minutes,
                                            mode=mode, place=place, notes="Demo appointment.", location_id=location)
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
        for i, at in enumerate(TODAY_TIMES[: 3 - w]):
            # Today's clients differ from worker to worker: no client is expected by two people at once.
            _book(admin, clients[(3 * w + i) % len(clients)], worker, today, at, n)
            booked, n = booked + 1, n + 1
        monday = today - timedelta(days=today.weekday())
        for offset in range(12):  # the rest of this week and next week's weekdays
            day = monday + timedelta(days=offset)
            if day != today and day.weekday() < 5:
                _book(admin, clients[n % len(clients)], worker, day, time(9 + 5 * (offset % 2) + w), n)
                booked, n = booked + 1, n + 1
    booked += _forms_due(admin, agency, workers[0], today)
    booked += _check_in_today(admin, agency, workers[0], clients[0], today)
    return booked


def _check_in_today(admin: User, agency: Organization, worker: User, client: Client, today: date) -> int:
    """A 15-minute visit today at the kiosk's location with a kiosk-fillable form still to sign: left booked
    whatever the hour, so a newcomer can Check in and see the form on the paired tablet."""
    places = _locations(agency)
    template = db.session.scalar(select(FormTemplate).where(FormTemplate.organization_id == agency.id,
                                                            FormTemplate.name == CHECK_IN_FORM))
    if not places or template is None:
        return 0
    appointment = services.book_appointment(admin, client, worker, to_utc(datetime.combine(today, CHECK_IN_AT)), 15,
                                            mode=AppointmentMode.IN_PERSON, place="Front desk",
                                            notes="Demo: check the client in.", location_id=places[0].id)
    document = workflow.start_document(worker, client, template.id)
    db.session.add(AppointmentForm(appointment=appointment, document=document, added_by_id=worker.id))
    db.session.flush()
    return 1


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
