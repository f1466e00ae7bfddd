"""Appointments on the portal: the acted-for client's upcoming appointments, Confirm, Ask to reschedule.

Every function takes the `ClientAccess` being acted for (the view's `g.acting`); an appointment hidden from
this access, or of another client, is not found. Functions flush, never commit.
"""
from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, load_only

from .. import audit
from ..accounts.models import User
from ..clock import utcnow
from ..extensions import db
from ..messaging import core
from ..messaging.models import Conversation, ConversationRecipient
from ..messaging.portal_queries import messaging_on
from ..messaging.sanitize import to_safe_html
from ..plaintext import has_control_characters
from ..portal_access.models import ClientAccess
from ..portal_access.policy import visible_to
from ..timefmt import to_local
from .errors import (
    AppointmentClosed,
    AppointmentNotFound,
    NoMessaging,
    RescheduleTextInvalid,
)
from .models import ITEM_TYPE, OPEN, Appointment, AppointmentStatus

SHOWN = 20
MAX_MESSAGE = 2000
RESCHEDULE_SUBJECT = "Request to reschedule an appointment"


def _visible(access: ClientAccess):
    return (Appointment.client_id == access.client_id, visible_to(access, ITEM_TYPE, Appointment.id))


@cache
def _upcoming_statement():
    """Built once per process (portal_app/statements.py): the portal home asks it on every visit."""
    return (select(Appointment)
            .where(Appointment.client_id == bindparam("client_id"),
                   visible_to(bindparam("access_id"), ITEM_TYPE, Appointment.id),
                   Appointment.ends_at > bindparam("now"))
            .options(joinedload(Appointment.staff).options(load_only(User.first_name)),
                     joinedload(Appointment.location))
            .order_by(Appointment.starts_at, Appointment.id).limit(bindparam("limit")))


def upcoming_for(access: ClientAccess, now: datetime, limit: int = SHOWN) -> list[Appointment]:
    """The client's appointments that have not ended (cancelled ones too, so the family sees it), soonest
    first, with the staff member's first name: one query."""
    return list(db.session.scalars(_upcoming_statement(), {"client_id": access.client_id, "access_id": access.id,
                                                           "now": now, "limit": limit}))


def get_portal_appointment_for(access: ClientAccess | None, appointment_id: int) -> Appointment:
    """The acted-for client's appointment visible to this access; AppointmentNotFound (404) otherwise."""
    if access is None:
        raise AppointmentNotFound
    appointment = db.session.scalar(select(Appointment).where(Appointment.id == appointment_id, *_visible(access)))
    if appointment is None:
        raise AppointmentNotFound
    return appointment


def _require_ahead(appointment: Appointment) -> None:
    if appointment.status not in OPEN or appointment.starts_at <= utcnow():
        raise AppointmentClosed


def confirm(access: ClientAccess, appointment: Appointment) -> bool:
    """The client (or a representative) confirms they will come; False when it was already confirmed."""
    _require_ahead(appointment)
    if appointment.status == AppointmentStatus.CONFIRMED:
        return False
    appointment.status = AppointmentStatus.CONFIRMED
    appointment.confirmed_at, appointment.confirmed_by_account_id = utcnow(), access.account_id
    db.session.flush()
    audit.record("appointment.confirmed", access.account, obj=appointment, client_id=appointment.client_id,
                 site="portal")
    return True


def ask_to_reschedule(access: ClientAccess, appointment: Appointment, text: str) -> Conversation:
    """A message to the appointment's staff member, with the client's words and which appointment it is;
    the conversation is addressed to the asking account only (as any conversation a client starts)."""
    _require_ahead(appointment)
    text = (text or "").strip()
    if not text or len(text) > MAX_MESSAGE or has_control_characters(text, multiline=True):
        raise RescheduleTextInvalid
    if not messaging_on(access):
        raise NoMessaging
    local = to_local(appointment.starts_at)
    body = f"{text}\n\n(About the appointment on {local:%Y-%m-%d at %H:%M}, appointment number {appointment.id}.)"
    conversation = Conversation(client_id=access.client_id, subject=RESCHEDULE_SUBJECT, staff_id=appointment.staff_id,
                                started_by_account_id=access.account_id, audience_all=False)
    conversation.recipients.append(ConversationRecipient(account_id=access.account_id))
    db.session.add(conversation)
    db.session.flush()
    core.append_message(conversation, to_safe_html(body, rich=False), account=access.account)
    audit.record("appointment.reschedule_asked", access.account, obj=appointment, client_id=appointment.client_id,
                 site="portal", details={"conversation_id": conversation.id})
    return conversation


def record_view(access: ClientAccess, page: str) -> None:
    """The portal's appointments page is a view of the client's appointments."""
    audit.record("appointment.list_viewed", access.account, client_id=access.client_id, site="portal",
                 details={"page": page})
