"""ReleaseOfInformation (made from a signed release-of-information document) and its partner recipients.

An ROI is created when a document of the agency's release-of-information template (category "release")
is completed. Its status is derived, never stored: revoked; superseded (a later ROI of the client names
the same recipients); expired (its end date is past, in the agency's time zone); not yet in force (its
start date is ahead); else active.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organization, User
from ..clients.models import Client
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..documents.records import Document
from ..extensions import db
from ..portal_access.models import PortalAccount


class RoiStatus(StrEnum):
    ACTIVE = "active"
    NOT_YET = "not_yet"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


STATUS_LABELS = {RoiStatus.ACTIVE: "Active", RoiStatus.NOT_YET: "Not yet in force", RoiStatus.EXPIRED: "Expired",
                 RoiStatus.REVOKED: "Revoked", RoiStatus.SUPERSEDED: "Superseded"}


class ReleaseOfInformation(db.Model):
    """One release of information of a client: who may receive what, for what purpose, from when until when."""

    __tablename__ = "release_of_information"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))  # indexed with end_date
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), unique=True)
    other_recipients: Mapped[str] = mapped_column(Text, default="")  # free text: a person or an organization
    # Labels as the client chose them, in English and Spanish: [{"en": ..., "es": ...}].
    information: Mapped[list] = mapped_column(JSON, default=list)
    purpose: Mapped[dict] = mapped_column(JSON, default=dict)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    revoked_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("portal_account.id"), default=None)
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("release_of_information.id"), default=None)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The worker's idempotency: expiry warnings sent to the client, and the expiry handled (shares ended).
    warned_14_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    warned_3_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    lapse_handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    client: Mapped[Client] = relationship()
    document: Mapped[Document] = relationship()
    revoked_by_user: Mapped[User | None] = relationship(foreign_keys=[revoked_by_user_id])
    revoked_by_account: Mapped[PortalAccount | None] = relationship(foreign_keys=[revoked_by_account_id])
    recipients: Mapped[list[RoiRecipient]] = relationship(back_populates="roi", order_by="RoiRecipient.id")

    __table_args__ = (Index("ix_release_of_information_client_end", "client_id", "end_date"),)

    def status(self, today: date) -> RoiStatus:
        """The status on `today` (the agency's local date)."""
        if self.revoked_at is not None:
            return RoiStatus.REVOKED
        if self.superseded_by_id is not None:
            return RoiStatus.SUPERSEDED
        if self.end_date < today:
            return RoiStatus.EXPIRED
        if self.start_date > today:
            return RoiStatus.NOT_YET
        return RoiStatus.ACTIVE

    def status_label(self, today: date) -> str:
        return STATUS_LABELS[self.status(today)]

    def in_force(self, today: date) -> bool:
        return self.status(today) == RoiStatus.ACTIVE

    def purpose_text(self, lang: str = "en") -> str:
        purpose = self.purpose or {}
        return purpose.get(lang) or purpose.get("en", "")

    def information_text(self, lang: str = "en") -> list[str]:
        return [item.get(lang) or item.get("en", "") for item in self.information or []]

    def recipient_names(self) -> list[str]:
        """Partner organizations by name, then the free-text recipient."""
        names = [r.organization.name for r in self.recipients]
        return names + ([self.other_recipients] if self.other_recipients else [])

    def __repr__(self) -> str:
        return f"<ReleaseOfInformation {self.id} client={self.client_id}>"


class RoiRecipient(db.Model):
    """A partner organization of the agency's network that an ROI names as a recipient."""

    __tablename__ = "roi_recipient"

    id: Mapped[int] = mapped_column(primary_key=True)
    roi_id: Mapped[int] = mapped_column(ForeignKey("release_of_information.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)

    roi: Mapped[ReleaseOfInformation] = relationship(back_populates="recipients")
    organization: Mapped[Organization] = relationship()

    __table_args__ = (UniqueConstraint(roi_id, organization_id, name="uq_roi_recipient_org"),)
