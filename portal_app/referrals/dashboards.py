"""People I'm Helping (staff, issue 14 item 7): the seekers a staff member helps — clients of the agency with a
referral they sent (or any of the agency's outbound referrals, when the agency shares them with its team) —
found by name with the client search, each with those referrals and their statuses. Two queries a page, and
one for its live version, whatever the number of seekers and referrals."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..clients.models import Client
from ..clients.queries import name_conditions
from ..extensions import db
from ..paging import PER_PAGE, Page, clamp_page, fetch_page
from ..programs.models import Program
from .live import _digest
from .models import Referral
from .policy import outbound_scope

SHOWN_PER_SEEKER = 10  # the rest are on the client's Referrals tab


@dataclass
class Seeker:
    client: Client
    referrals: list[Referral]
    more: bool


def _seekers(actor: User, q: str) -> tuple[ColumnElement[bool], ...]:
    helped = select(Referral.client_id).where(outbound_scope(actor))
    return (Client.organization_id == actor.organization_id, Client.id.in_(helped), *name_conditions(actor, q))


def _seeker_page(actor: User, q: str):
    return select(Client).where(*_seekers(actor, q)).order_by(Client.sort_name, Client.id)


def people_helping(actor: User, q: str = "", page: Any = 1) -> Page[Seeker]:
    """One page of the seekers, by name, each with their referrals in the actor's reach, newest first."""
    clients = fetch_page(_seeker_page(actor, q), page)
    ids = [c.id for c in clients.items]
    by_client: dict[int, list[Referral]] = {i: [] for i in ids}
    if ids:
        rows = db.session.scalars(
            select(Referral).where(Referral.client_id.in_(ids), outbound_scope(actor))
            .options(joinedload(Referral.program).joinedload(Program.organization))
            .order_by(Referral.created_at.desc(), Referral.id.desc()))
        for referral in rows:
            by_client[referral.client_id].append(referral)
    seekers = [Seeker(c, by_client[c.id][:SHOWN_PER_SEEKER], len(by_client[c.id]) > SHOWN_PER_SEEKER)
               for c in clients.items]
    return Page(seekers, clients.page, clients.per_page, clients.has_next)


def people_version(actor: User, q: str = "", page: Any = 1) -> str:
    """The live version of that page: its seekers' referrals (ids and row versions), one query."""
    number = clamp_page(page)
    seekers = (select(Client.id).where(*_seekers(actor, q)).order_by(Client.sort_name, Client.id)
               .limit(PER_PAGE + 1).offset((number - 1) * PER_PAGE))
    rows = db.session.execute(select(Referral.client_id, Referral.id, Referral.version_id)
                              .where(Referral.client_id.in_(seekers), outbound_scope(actor))
                              .order_by(Referral.client_id, Referral.id)).all()
    return _digest(tuple(row) for row in rows)
