"""Goal: what a client works toward, in one life domain, until it is met, not met or withdrawn.

Labels are lazily translated: the portal shows them in Spanish, the staff site in English."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..clients.models import Client
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..extensions import db

MAX_TITLE = 200
MAX_DESCRIPTION = 4_000


class GoalDomain(StrEnum):
    """The life domain a goal belongs to (a fixed list, so goals can be counted by domain)."""

    HOUSING = "housing"
    EMPLOYMENT = "employment"
    HEALTH = "health"
    INCOME = "income"
    EDUCATION = "education"
    LEGAL = "legal"
    FOOD = "food"
    OTHER = "other"


GOAL_DOMAIN_LABELS = {
    GoalDomain.HOUSING: _l("Housing"),
    GoalDomain.EMPLOYMENT: _l("Employment"),
    GoalDomain.HEALTH: _l("Health"),
    GoalDomain.INCOME: _l("Income and benefits"),
    GoalDomain.EDUCATION: _l("Education"),
    GoalDomain.LEGAL: _l("Legal"),
    GoalDomain.FOOD: _l("Food"),
    GoalDomain.OTHER: _l("Other"),
}


class GoalStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    NOT_MET = "not_met"
    WITHDRAWN = "withdrawn"


GOAL_STATUS_LABELS = {
    GoalStatus.OPEN: _l("Open"),
    GoalStatus.MET: _l("Met"),
    GoalStatus.NOT_MET: _l("Not met"),
    GoalStatus.WITHDRAWN: _l("Withdrawn"),
}
CLOSED_STATUSES = frozenset({GoalStatus.MET, GoalStatus.NOT_MET, GoalStatus.WITHDRAWN})


class Goal(db.Model):
    """A client's goal. Never deleted: a goal nobody pursues any more is withdrawn."""

    __tablename__ = "goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(MAX_TITLE))
    description: Mapped[str] = mapped_column(Text, default="")
    domain: Mapped[str] = mapped_column(String(20), default=GoalDomain.OTHER)
    target_date: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(16), default=GoalStatus.OPEN)
    status_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    client: Mapped[Client] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    status_changed_by: Mapped[User | None] = relationship(foreign_keys=[status_changed_by_id])

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012  (SQLAlchemy reads it once)
    # The profile's list (open first) and the referral picker (open goals of one client).
    __table_args__ = (Index("ix_goal_client_status", client_id, status),)

    @property
    def is_open(self) -> bool:
        return self.status == GoalStatus.OPEN

    @property
    def domain_label(self) -> str:
        return GOAL_DOMAIN_LABELS.get(self.domain, self.domain)  # type: ignore[call-overload]

    @property
    def status_label(self) -> str:
        return GOAL_STATUS_LABELS.get(self.status, self.status)  # type: ignore[call-overload]
