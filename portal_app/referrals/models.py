"""Referral, ReferralEvent (history), ReferralNote (no edit; a deleted one leaves a tombstone), ReferralLink."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organization, User
from ..clients.models import Client
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..extensions import db
from ..goals.models import Goal
from ..programs.models import Program
from .statuses import BEST_WAYS, OUTCOME_LABELS, STATUS_LABELS


class Referral(db.Model):
    """A seeker (client) referred by a helper (staff member) of the referring agency to a program."""

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)  # the referring agency
    # None for a walk-in: a person who came to the program themselves has no agency client record; the
    # contact details below are all there is, agency_id is the program's organization, helper the claimer.
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    walk_in: Mapped[bool] = mapped_column(default=False, server_default=false())
    helper_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="requested")  # FHIR Task.status (statuses.py)
    status_reason: Mapped[str] = mapped_column(String(500), default="")
    outcome: Mapped[str] = mapped_column(String(32), default="")  # findhelp-style label (statuses.OUTCOMES)
    # Contact details copied from the client's profile when the referral was sent (the Connect form).
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_language: Mapped[str] = mapped_column(String(5), default="en")
    best_way: Mapped[str] = mapped_column(String(8), default="phone")  # email | text | phone | none
    comment: Mapped[str] = mapped_column(Text, default="")
    # "Add to a Goal": one of the same client's goals (the staff of the referring agency choose it).
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id", ondelete="SET NULL"), index=True, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Two parties changing one referral at once: the second write finds a newer version and is refused (R3).
    version_id: Mapped[int] = mapped_column(default=1)

    client: Mapped[Client | None] = relationship()
    helper: Mapped[User] = relationship()
    program: Mapped[Program] = relationship()
    agency: Mapped[Organization] = relationship()
    goal: Mapped[Goal | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012  (read once, when SQLAlchemy maps the class)
    __table_args__ = (Index("ix_referral_program_changed", "program_id", "status_changed_at"),)

    @property
    def part2_protected(self) -> bool:
        """The seeker's record is under 42 CFR Part 2 (a walk-in has no agency record)."""
        return self.client is not None and self.client.part2_protected

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, "")

    @property
    def best_way_label(self) -> str:
        return BEST_WAYS.get(self.best_way, "")

    def __repr__(self) -> str:
        return f"<Referral {self.id} {self.status}>"


class ReferralEvent(db.Model):
    """One line of a referral's history: who (as shown then), what changed, when, and through which channel."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # sent | status | outcome | note_added | note_deleted
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("portal_account.id"), default=None)
    who: Mapped[str] = mapped_column(String(240))  # "Casey M. (Riverside Community Services)"
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20), default="")
    outcome: Mapped[str] = mapped_column(String(32), default="")
    reason: Mapped[str] = mapped_column(String(500), default="")
    via: Mapped[str] = mapped_column(String(12), default="dashboard")  # dashboard | email | portal
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def to_label(self) -> str:
        return STATUS_LABELS.get(self.to_status, "")

    @property
    def from_label(self) -> str:
        return STATUS_LABELS.get(self.from_status, "")

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, "")


class ReferralNote(db.Model):
    """A note on a referral; never edited. Its author may delete it: the text goes, a history line stays."""

    __tablename__ = "referral_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    who: Mapped[str] = mapped_column(String(240))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class ReferralLink(db.Model):
    """A one-tap email link: one referral, one person, the actions they could take when it was sent; used once."""

    __tablename__ = "referral_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("portal_account.id"), default=None)
    nonce: Mapped[str] = mapped_column(String(32))
    actions: Mapped[str] = mapped_column(String(200))  # space-separated action names (transitions.ACTIONS)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    referral: Mapped[Referral] = relationship()
