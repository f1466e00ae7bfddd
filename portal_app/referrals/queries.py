"""Reads of referrals, scoped to the actor in the query itself (404 outside it), with bounded query counts."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..authz import Permission, can
from ..clients.models import Client
from ..clock import utcnow
from ..errors import NotFound
from ..extensions import db
from ..paging import Page, capped_count, fetch_page
from ..programs.models import Program, ProgramMember
from ..routing import DB_INT_MAX
from .models import Referral, ReferralEvent, ReferralNote
from .policy import claimed_programs
from .statuses import ACTIVE, STATUSES

NOT_UPDATED_DAYS = 7
AGES = {"": None, "7": 7, "30": 30, "90": 90}  # "changed more than N days ago"


class ReferralNotFound(NotFound):
    """No such referral within the actor's reach (another's is not revealed)."""


class NoteNotFound(NotFound):
    """No such note on this referral."""


def _with_program():
    return joinedload(Referral.program).joinedload(Program.organization)


def _claimed_programs(actor: Any):
    return claimed_programs(actor)  # members, and the organization's team where a program shares (policy.py)


def get_referral_for_staff(actor: User, referral_id: int) -> Referral:
    """A referral the actor's agency sent, or one to a program the actor claims for; else 404."""
    referral = db.session.scalar(
        select(Referral).where(Referral.id == referral_id,
                               or_(Referral.agency_id == actor.organization_id,
                                   Referral.program_id.in_(_claimed_programs(actor))))
        .options(_with_program(), joinedload(Referral.client), joinedload(Referral.helper)
                 .joinedload(User.organization)))
    if referral is None or not can(actor, Permission.STAFF_REFERRALS, referral):
        raise ReferralNotFound
    return referral


def get_referral_for_partner(actor: User, referral_id: int) -> Referral:
    """An inbound referral of a program the partner user claims for; else 404."""
    referral = db.session.scalar(
        select(Referral).where(Referral.id == referral_id, Referral.program_id.in_(_claimed_programs(actor)))
        .options(_with_program(), joinedload(Referral.helper).joinedload(User.organization),
                 joinedload(Referral.client)))
    if referral is None or not can(actor, Permission.PARTNER_REFERRALS, referral):
        raise ReferralNotFound
    return referral


def get_referral_for_seeker(actor: Any, access: Any, referral_id: int) -> Referral:
    """A referral of the client the portal account acts for; else 404."""
    if access is None:
        raise ReferralNotFound
    referral = db.session.scalar(select(Referral).where(Referral.id == referral_id,
                                                        Referral.client_id == access.client_id)
                                 .options(_with_program()))
    if referral is None or not can(actor, Permission.PORTAL_REFERRALS, (access, referral)):
        raise ReferralNotFound
    return referral


def get_note_for(referral: Referral, note_id: int) -> ReferralNote:
    note = db.session.scalar(select(ReferralNote).where(ReferralNote.id == note_id,
                                                        ReferralNote.referral_id == referral.id,
                                                        ReferralNote.deleted_at.is_(None)))
    if note is None:
        raise NoteNotFound
    return note


def client_referrals(client: Client, page: Any = 1) -> Page:
    """The client's referrals, newest first (two queries a page whatever their number)."""
    stmt = (select(Referral).where(Referral.client_id == client.id).options(_with_program(), joinedload(Referral.goal))
            .order_by(Referral.created_at.desc(), Referral.id.desc()))
    return fetch_page(stmt, page)


def _inbound(actor: User, status: str = "", age: str = ""):
    stmt = select(Referral).where(Referral.program_id.in_(_claimed_programs(actor)))
    if status in STATUSES:
        stmt = stmt.where(Referral.status == status)
    days = AGES.get(age)
    if days:
        stmt = stmt.where(Referral.status_changed_at < utcnow() - timedelta(days=days))
    return stmt


def inbound_referrals(actor: User, status: str = "", age: str = "", page: Any = 1) -> Page:
    """Inbound Referrals: those to the programs the user claims for, by last change (oldest first)."""
    stmt = (_inbound(actor, status, age).options(_with_program())
            .order_by(Referral.status_changed_at, Referral.id))
    return fetch_page(stmt, page)


def not_updated_count(actor: User) -> tuple[int, bool]:
    """Open inbound referrals whose status has not changed in 7 days (capped count)."""
    stmt = _inbound(actor).where(Referral.status.in_(ACTIVE),
                                 Referral.status_changed_at < utcnow() - timedelta(days=NOT_UPDATED_DAYS))
    return capped_count(stmt)


def history(referral: Referral) -> list[ReferralEvent]:
    """Every change and interaction, oldest first (one query)."""
    return list(db.session.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)
                                   .order_by(ReferralEvent.occurred_at, ReferralEvent.id)))


def notes(referral: Referral) -> list[ReferralNote]:
    """The notes not deleted, oldest first (one query)."""
    return list(db.session.scalars(select(ReferralNote).where(ReferralNote.referral_id == referral.id,
                                                              ReferralNote.deleted_at.is_(None))
                                   .order_by(ReferralNote.created_at, ReferralNote.id)))


def seeker_referrals(client_id: int) -> list[Referral]:
    """My referrals on the portal: the acted-for client's, newest first, entered-in-error ones left out."""
    return list(db.session.scalars(select(Referral).where(Referral.client_id == client_id,
                                                          Referral.status != "entered-in-error")
                                   .options(_with_program()).order_by(Referral.created_at.desc(), Referral.id.desc())
                                   .limit(100)))


def claimers_of(program_id: int) -> list[User]:
    """The enabled claimers of a program (they receive its referrals' emails)."""
    return list(db.session.scalars(select(User).join(ProgramMember, ProgramMember.user_id == User.id)
                                   .where(ProgramMember.program_id == program_id, User.enabled.is_(True))
                                   .options(joinedload(User.organization)).order_by(User.id)))


def get_directory_program(program_id: Any) -> Program:
    """A program of the directory (public data) that takes referrals; else 404."""
    try:
        program_id = int(program_id)
    except (TypeError, ValueError):
        raise ReferralNotFound from None
    if not 1 <= program_id <= DB_INT_MAX:
        raise ReferralNotFound
    program = db.session.scalar(select(Program).where(Program.id == program_id, Program.active.is_(True))
                                .options(joinedload(Program.organization)))
    if program is None:
        raise ReferralNotFound
    return program
