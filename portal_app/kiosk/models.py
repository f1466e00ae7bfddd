"""AgencyLocation, KioskDevice (a paired tablet), KioskPairing (a short code on an unpaired tablet) and
KioskHandoff (a document handed to a tablet, or to any tablet at a location, for one client).

A tablet's credential is a random secret in a cookie; only its SHA-256 is stored, so revoking (clearing
the hash) makes the cookie worthless at the tablet's next request. Nothing here is deleted.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organization, User
from ..clients.models import Client
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..documents.records import Document
from ..extensions import db


class AgencyLocation(db.Model):
    """A place of an agency (an office, a clinic) where tablets stand in the waiting room."""

    __tablename__ = "agency_location"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    organization: Mapped[Organization] = relationship()

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012  (SQLAlchemy reads it as is)
    __table_args__ = (UniqueConstraint(organization_id, name, name="uq_agency_location_org_name"),)

    def __repr__(self) -> str:
        return f"<AgencyLocation {self.id} {self.name!r}>"


class KioskDevice(db.Model):
    """A waiting-room tablet of one agency at one location; the kiosk site's actor once paired."""

    __tablename__ = "kiosk_device"
    kind = "kiosk"  # what authz grants act on
    site = "kiosk"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("agency_location.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    secret_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    paired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    paired_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()
    location: Mapped[AgencyLocation] = relationship()
    paired_by: Mapped[User | None] = relationship(foreign_keys=[paired_by_id])

    __table_args__ = (UniqueConstraint(organization_id, name, name="uq_kiosk_device_org_name"),)

    # Flask-Login: the tablet is "signed in" while its credential is in force.
    is_authenticated = True
    is_anonymous = False

    @property
    def paired(self) -> bool:
        return self.secret_hash is not None

    @property
    def enabled(self) -> bool:
        return self.paired and self.organization.enabled

    @property
    def is_active(self) -> bool:
        return self.enabled

    def get_id(self) -> str:
        return f"kiosk:{self.id}:0"

    @property
    def status_label(self) -> str:
        if self.paired:
            return "Paired"
        return "Revoked" if self.revoked_at else "Not paired yet"

    def __repr__(self) -> str:
        return f"<KioskDevice {self.id} {self.name!r}>"


class KioskPairing(db.Model):
    """The short code an unpaired browser shows; an administrator enters it on a kiosk's page."""

    __tablename__ = "kiosk_pairing"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    browser_hash: Mapped[str] = mapped_column(String(64), unique=True)  # the pairing cookie's secret, hashed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk_device.id"), index=True, default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    ip_address: Mapped[str] = mapped_column(String(64), default="")

    device: Mapped[KioskDevice | None] = relationship()


class HandoffStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


HANDOFF_STATUS_LABELS = {
    HandoffStatus.PENDING: "Waiting for the client at the tablet",
    HandoffStatus.IN_PROGRESS: "Client filling it in",
    HandoffStatus.COMPLETED: "Completed",
    HandoffStatus.EXPIRED: "Expired",
    HandoffStatus.CANCELLED: "Cancelled",
}


class KioskHandoff(db.Model):
    """A document handed to a tablet (or to any tablet at a location) for one client."""

    __tablename__ = "kiosk_handoff"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("agency_location.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk_device.id"), default=None)  # None: any tablet
    handed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # Handed off from an appointment ("on kiosk", or queued at check-in); the appointment lists it.
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointment.id"), index=True, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=HandoffStatus.PENDING)
    code: Mapped[str] = mapped_column(String(8))
    # While in progress: the tablet showing it, the step, failed birth-date tries, last activity (idle wipe).
    active_device_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk_device.id"), default=None)
    step: Mapped[str] = mapped_column(String(12), default="")
    dob_attempts: Mapped[int] = mapped_column(default=0)
    # Back with staff (idle wipe, three wrong birth dates, ended by staff): no tablet shows it until resent.
    held: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    version_id: Mapped[int] = mapped_column(default=1)

    client: Mapped[Client] = relationship()
    document: Mapped[Document] = relationship()
    location: Mapped[AgencyLocation] = relationship()
    device: Mapped[KioskDevice | None] = relationship(foreign_keys=[device_id])
    handed_by: Mapped[User] = relationship(foreign_keys=[handed_by_id])

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012  (SQLAlchemy reads it as is)
    __table_args__ = (
        # The tablet's poll: the oldest pending hand-off at its location (for it, or for any tablet there).
        Index("ix_kiosk_handoff_pickup", "location_id", "status", "created_at"),
        Index("ix_kiosk_handoff_active", "active_device_id", "status"),
        Index("ix_kiosk_handoff_client", "client_id", "status"),
    )

    @property
    def status_label(self) -> str:
        if self.status == HandoffStatus.PENDING and self.held:
            return "Back with staff: resend it to the tablet"
        return HANDOFF_STATUS_LABELS.get(self.status, self.status)

    @property
    def is_open(self) -> bool:
        return self.status in (HandoffStatus.PENDING, HandoffStatus.IN_PROGRESS)

    @property
    def target_label(self) -> str:
        return self.device.name if self.device else f"any tablet at {self.location.name}"

    def __repr__(self) -> str:
        return f"<KioskHandoff {self.id} {self.status}>"
