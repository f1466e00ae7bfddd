"""Live dashboards (issue 14 item 5): the version of what a dashboard shows, so a background poll answers
"nothing changed" (204) after one indexed query, and redraws the dashboard's fragment only when it did.

A list's version is the ids and row versions (Referral.version_id, bumped by every change of a referral's
status or outcome) of the page on screen, read with the list's own filter and order: a new referral that
lands on the page, one that leaves it and a change of any row all change it, and the cost stays that of
one page whatever the data size. A referral page's version adds its history (count and latest id: notes
added and deleted are history lines too), so two notes committed out of order are still seen.
"""
from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Select, func, select

from ..clients.models import Client
from ..extensions import db
from ..paging import PER_PAGE, clamp_page
from .models import Referral, ReferralEvent
from .queries import _inbound

POLL_SECONDS = 3  # every dashboard asks this often; a change shows within POLL_SECONDS plus one request


def _digest(rows: Any) -> str:
    return hashlib.blake2b(repr(list(rows)).encode(), digest_size=8).hexdigest()


def page_version(stmt: Select, page: Any = 1, per_page: int = PER_PAGE) -> str:
    """The version of one page of an ordered referral list (`stmt` selects Referral, without loader options)."""
    number = clamp_page(page)
    rows = db.session.execute(stmt.with_only_columns(Referral.id, Referral.version_id)
                              .limit(per_page + 1).offset((number - 1) * per_page)).all()
    return _digest(tuple(row) for row in rows)


def client_version(client: Client, page: Any = 1) -> str:
    """The client's Referrals tab (queries.client_referrals, same order)."""
    return page_version(select(Referral).where(Referral.client_id == client.id)
                        .order_by(Referral.created_at.desc(), Referral.id.desc()), page)


def inbound_version(actor: Any, status: str = "", age: str = "", page: Any = 1) -> str:
    """Inbound Referrals with its filters (queries.inbound_referrals, same order)."""
    return page_version(_inbound(actor, status, age).order_by(Referral.status_changed_at, Referral.id), page)


def seeker_version(client_id: int) -> str:
    """My referrals on the portal (queries.seeker_referrals, same order and limit)."""
    return page_version(select(Referral).where(Referral.client_id == client_id,
                                               Referral.status != "entered-in-error")
                        .order_by(Referral.created_at.desc(), Referral.id.desc()), 1, per_page=99)


def referral_version(referral: Referral) -> str:
    """A referral's page: its row version and its history (one query on the history's index)."""
    count, latest = db.session.execute(select(func.count(ReferralEvent.id), func.max(ReferralEvent.id))
                                       .where(ReferralEvent.referral_id == referral.id)).one()
    return f"{referral.version_id}.{count}.{latest or 0}"
