"""Who may do what with appointments and staff availability.

* Appointments (staff): every staff member of the agency books, moves and cancels its clients' appointments
  with any of its staff, and reads the agency's calendars (as the rest of a client's record).
* Availability: a staff member edits their own hours; an administrator or supervisor edits anyone's in their
  agency.
* Portal: an account acting for a client through its own active access sees that client's appointments that
  are not hidden from this access.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..accounts.models import Role, User
from ..authz import Permission, object_rule
from ..clients.models import Client
from ..extensions import db
from .models import ITEM_TYPE, Appointment

EDITS_ANYONES_HOURS = frozenset({Role.ADMIN, Role.SUPERVISOR})


def _staff_of_agency(actor: Any) -> bool:
    return bool(getattr(actor, "is_staff", False)) and actor.organization_id is not None


@object_rule(Permission.STAFF_APPOINTMENTS)
def may_manage_appointments(actor: User, obj: Any) -> bool:
    """The calendars (no object), a client, a staff member or an appointment of the actor's own agency."""
    if not _staff_of_agency(actor):
        return False
    if obj is None:
        return True
    if isinstance(obj, Appointment | Client):
        return obj.organization_id == actor.organization_id
    if isinstance(obj, User):
        return obj.is_staff and obj.organization_id == actor.organization_id
    return False


@object_rule(Permission.STAFF_AVAILABILITY)
def may_edit_availability(actor: User, obj: Any) -> bool:
    """Own hours (no object: "My Availability"); another staff member's only for admins and supervisors of
    the same agency."""
    if not _staff_of_agency(actor):
        return False
    if obj is None:
        return True
    if not isinstance(obj, User) or not obj.is_staff or obj.organization_id != actor.organization_id:
        return False
    return obj.id == actor.id or actor.role in EDITS_ANYONES_HOURS


def may_see_staff_calendar(actor: User, person: User) -> bool:
    """Whose calendar a staff member may open: anyone's of their agency (the object rule above)."""
    return may_manage_appointments(actor, person)


@object_rule(Permission.PORTAL_APPOINTMENTS)
def may_use_portal_appointments(actor: Any, obj: Any) -> bool:
    """A portal account acting through its own active access; an appointment only when it is that client's
    and not hidden from this access."""
    from ..portal_access.models import ClientAccess, HiddenItem

    if getattr(actor, "kind", None) != "portal":
        return False
    if obj is None:
        return True
    access, appointment = obj if isinstance(obj, tuple) else (obj, None)
    if not (isinstance(access, ClientAccess) and access.account_id == actor.id and access.active):
        return False
    if appointment is None:
        return True
    if not isinstance(appointment, Appointment) or appointment.client_id != access.client_id:
        return False
    return db.session.scalar(select(HiddenItem.id).where(
        HiddenItem.access_id == access.id, HiddenItem.item_type == ITEM_TYPE,
        HiddenItem.item_id == appointment.id).limit(1)) is None


def _register_appointments() -> None:
    """Appointments are items staff may hide from one representative (Client Portal Manager)."""
    from ..portal_access.visibility import ItemType, register

    def load(client: Client, item_id: int) -> Appointment | None:
        appointment = db.session.get(Appointment, item_id)
        return appointment if appointment is not None and appointment.client_id == client.id else None

    def items(client: Client) -> list[tuple[int, str]]:
        rows = db.session.execute(
            select(Appointment.id, Appointment.starts_at).where(Appointment.client_id == client.id)
            .order_by(Appointment.starts_at.desc()).limit(200))
        from ..timefmt import to_local

        return [(appointment_id, f"Appointment on {to_local(starts):%b %d, %Y at %I:%M %p}")
                for appointment_id, starts in rows]

    register(ITEM_TYPE, ItemType("Appointments", load, items))


_register_appointments()
