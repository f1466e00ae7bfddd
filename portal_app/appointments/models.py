"""Staff availability (weekly hours and dated exceptions, in the agency's time zone), appointments of a client
with a staff member, and the forms a client fills out at home before an appointment.

Nothing about an appointment is deleted: it is moved (rescheduled) or cancelled with a reason, and its status
says what happened (booked, confirmed, cancelled, completed, no-show).
"""
from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..clients.models import Client
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..documents.records import Document
from ..extensions import db
from ..kiosk.models import AgencyLocation

ITEM_TYPE = "appointment"  # its name in the per-representative HiddenItem registry


class StaffAvailability(db.Model):
    """One time range a staff member works: weekly (a weekday, 0 = Monday) or an exception on one date.

    On a date with exception rows, those rows replace the weekly hours; an exception without times is a day off.
    Times are wall-clock times in the agency's time zone.
    """

    __tablename__ = "staff_availability"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    weekday: Mapped[int | None] = mapped_column(SmallInteger, default=None)
    on_date: Mapped[date | None] = mapped_column(Date, default=None)
    starts: Mapped[time | None] = mapped_column(Time, default=None)
    ends: Mapped[time | None] = mapped_column(Time, default=None)
    note: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint("(weekday IS NULL) <> (on_date IS NULL)", name="weekly_or_dated"),
        CheckConstraint("weekday IS NULL OR (weekday >= 0 AND weekday <= 6)", name="weekday_range"),
        CheckConstraint("(starts IS NULL) = (ends IS NULL)", name="both_times_or_none"),
        CheckConstraint("starts IS NULL OR starts < ends", name="starts_before_ends"),
        CheckConstraint("weekday IS NULL OR starts IS NOT NULL", name="weekly_has_times"),
        Index("ix_staff_availability_date", "on_date", "user_id"),
    )

    @property
    def day_off(self) -> bool:
        return self.on_date is not None and self.starts is None


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    CHECKED_IN = "checked_in"


STATUS_LABELS = {AppointmentStatus.BOOKED: "Booked", AppointmentStatus.CONFIRMED: "Confirmed",
                 AppointmentStatus.CANCELLED: "Cancelled", AppointmentStatus.COMPLETED: "Completed",
                 AppointmentStatus.NO_SHOW: "No-show", AppointmentStatus.CHECKED_IN: "Checked in"}
# Statuses that hold the staff member's time (a cancelled appointment frees it).
HOLDS_TIME = (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED,
              AppointmentStatus.NO_SHOW, AppointmentStatus.CHECKED_IN)
OPEN = (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)  # still ahead: may be moved, cancelled, confirmed


class AppointmentMode(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"
    PHONE = "phone"


MODE_LABELS = {AppointmentMode.IN_PERSON: "In person", AppointmentMode.VIDEO: "Video", AppointmentMode.PHONE: "Phone"}


class Appointment(db.Model):
    """A client's appointment with a staff member of the client's agency."""

    __tablename__ = "appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    mode: Mapped[str] = mapped_column(String(16), default=AppointmentMode.IN_PERSON)
    place: Mapped[str] = mapped_column(String(200), default="")  # room, floor, directions (free text)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("agency_location.id"), default=None)  # in person
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=AppointmentStatus.BOOKED)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    confirmed_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("portal_account.id"), default=None)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    version_id: Mapped[int] = mapped_column(default=1)

    client: Mapped[Client] = relationship()
    staff: Mapped[User] = relationship(foreign_keys=[staff_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])
    checked_in_by: Mapped[User | None] = relationship(foreign_keys=[checked_in_by_id])
    location: Mapped[AgencyLocation | None] = relationship()
    forms: Mapped[list[AppointmentForm]] = relationship(back_populates="appointment",
                                                        order_by="AppointmentForm.id")

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012  (SQLAlchemy reads it once)
    __table_args__ = (
        Index("ix_appointment_staff_starts", "staff_id", "starts_at"),
        Index("ix_appointment_client_starts", "client_id", "starts_at"),
        Index("ix_appointment_org_starts", "organization_id", "starts_at"),
        CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
    )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[AppointmentStatus(self.status)]

    @property
    def mode_label(self) -> str:
        return MODE_LABELS[AppointmentMode(self.mode)]

    @property
    def length_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class AppointmentForm(db.Model):
    """A form the client fills out at home for an appointment: its document reaches the portal three days
    before the appointment (pre-check-in), or at once when the appointment is nearer."""

    __tablename__ = "appointment_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointment.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), unique=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    send_problem: Mapped[str] = mapped_column(String(300), default="")  # why the worker could not send it

    appointment: Mapped[Appointment] = relationship(back_populates="forms")
    document: Mapped[Document] = relationship()
    added_by: Mapped[User] = relationship()
