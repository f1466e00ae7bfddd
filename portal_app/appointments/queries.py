"""Reads of appointments and staff, scoped to the acting staff member's agency (another agency's answer 404)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from ..accounts.models import AGENCY_STAFF_ROLES, User
from ..authz import Permission, can
from ..clients.models import Client
from ..documents.records import Document
from ..errors import Forbidden
from ..extensions import db
from .errors import AppointmentNotFound, StaffNotFound
from .models import Appointment, AppointmentForm

PAST_SHOWN = 20
UPCOMING_SHOWN = 50


def agency_staff(actor: User) -> list[User]:
    """The enabled staff members of the actor's agency, by name (one query)."""
    return list(db.session.scalars(
        select(User).where(User.organization_id == actor.organization_id, User.role.in_(AGENCY_STAFF_ROLES),
                           User.enabled.is_(True))
        .order_by(func.lower(User.last_name), func.lower(User.first_name), User.id)))


def get_staff_for(actor: User, user_id: int | None, permission: Permission = Permission.STAFF_APPOINTMENTS) -> User:
    """A staff member of the actor's agency; StaffNotFound (404) otherwise, Forbidden when the rule refuses."""
    person = db.session.get(User, user_id) if user_id else None
    if (person is None or person.organization_id != actor.organization_id or not person.is_staff
            or not can(actor, Permission.STAFF_APPOINTMENTS, person)):
        raise StaffNotFound
    if not can(actor, permission, person):
        raise Forbidden
    return person


def get_appointment_for(actor: User, appointment_id: int) -> Appointment:
    """The appointment of the actor's agency with this id, with its client, staff member and forms."""
    appointment = db.session.scalar(
        select(Appointment).where(Appointment.id == appointment_id,
                                  Appointment.organization_id == actor.organization_id)
        .options(joinedload(Appointment.client), joinedload(Appointment.staff), joinedload(Appointment.location),
                 selectinload(Appointment.forms).joinedload(AppointmentForm.document)
                 .joinedload(Document.template_version)))
    if appointment is None or not can(actor, Permission.STAFF_APPOINTMENTS, appointment):
        raise AppointmentNotFound
    return appointment


def appointments_between(actor: User, staff_ids: list[int], start: datetime, end: datetime) -> list[Appointment]:
    """The appointments of these staff members of the agency that overlap start..end, cancelled ones too
    (the calendar shows them struck through), with the client's name: one query."""
    if not staff_ids:
        return []
    return list(db.session.scalars(
        select(Appointment).where(Appointment.organization_id == actor.organization_id,
                                  Appointment.staff_id.in_(staff_ids),
                                  Appointment.starts_at < end, Appointment.ends_at > start)
        .options(joinedload(Appointment.client).load_only(Client.first_name, Client.last_name, Client.middle_name),
                 joinedload(Appointment.location))
        .order_by(Appointment.starts_at, Appointment.id)))


def client_appointments(client: Client, now: datetime) -> tuple[list[Appointment], list[Appointment]]:
    """The client's upcoming appointments (soonest first) and past ones (latest first, the last 20)."""
    staff = (joinedload(Appointment.staff).options(load_only(User.first_name, User.last_name, User.middle_name)),
             joinedload(Appointment.location))
    upcoming = db.session.scalars(
        select(Appointment).where(Appointment.client_id == client.id, Appointment.ends_at > now)
        .options(*staff).order_by(Appointment.starts_at).limit(UPCOMING_SHOWN))
    past = db.session.scalars(
        select(Appointment).where(Appointment.client_id == client.id, Appointment.ends_at <= now)
        .options(*staff).order_by(Appointment.starts_at.desc()).limit(PAST_SHOWN))
    return list(upcoming), list(past)
