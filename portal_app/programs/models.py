"""Programs directory (seed 004, HSDS 3.0): Program (an HSDS service), Location, ProgramLocation, claimers."""
from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organization, User
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..extensions import db


def new_hsds_id() -> str:
    """HSDS identifiers are UUIDs (strings); imported rows keep the publisher's."""
    return str(uuid.uuid4())


class Capacity(StrEnum):
    ACCEPTING = "accepting"
    ASSESSMENT = "assessment_required"
    WAITLIST = "waitlist"
    NOT_ACCEPTING = "not_accepting"

    @property
    def label(self) -> str:
        return CAPACITY_LABELS[self]


CAPACITY_LABELS = {
    Capacity.ACCEPTING: "Accepting referrals",
    Capacity.ASSESSMENT: "Assessment required",
    Capacity.WAITLIST: "Waitlist",
    Capacity.NOT_ACCEPTING: "Not accepting referrals",
}
# Sort rank in the directory: programs that can take someone now come first.
CAPACITY_RANK = {Capacity.ACCEPTING: 0, Capacity.ASSESSMENT: 1, Capacity.WAITLIST: 2, Capacity.NOT_ACCEPTING: 3}

# Service categories (findhelp's top-level needs); stored as slugs, shown with these labels.
CATEGORIES = {
    "food": "Food", "housing": "Housing", "goods": "Goods", "transit": "Transit", "health": "Health",
    "mental_health": "Mental health", "substance_use": "Substance use", "money": "Money", "care": "Care",
    "education": "Education", "work": "Work", "legal": "Legal",
}
# Languages as ISO 639-1 codes (HSDS language.code), with the names shown.
LANGUAGES = {"en": "English", "es": "Spanish", "vi": "Vietnamese", "zh": "Chinese", "ru": "Russian",
             "ar": "Arabic", "so": "Somali", "uk": "Ukrainian", "fr": "French", "ko": "Korean"}


def _join(values: list[str]) -> str:
    """Store a small set as "|a|b|" so one LIKE '%|a|%' finds it on both databases."""
    clean = sorted({v.strip() for v in values if v and v.strip()})
    return f"|{'|'.join(clean)}|" if clean else ""


def _split(stored: str) -> list[str]:
    return [v for v in (stored or "").split("|") if v]


class Program(db.Model):
    """A service of an organization (partner or agency), as HSDS 3.0 describes a service."""

    __tablename__ = "program"

    id: Mapped[int] = mapped_column(primary_key=True)
    hsds_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_hsds_id)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    categories_text: Mapped[str] = mapped_column(String(400), default="")
    languages_text: Mapped[str] = mapped_column(String(200), default="")
    eligibility: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    url: Mapped[str] = mapped_column(String(400), default="")
    schedule: Mapped[str] = mapped_column(String(400), default="")
    # Service area: a list of ZIP codes, or a radius (miles) around the program's locations, or both.
    area_zips_text: Mapped[str] = mapped_column(Text, default="")
    area_radius_miles: Mapped[float | None] = mapped_column(Float, default=None)
    capacity: Mapped[str] = mapped_column(String(24), default=Capacity.ACCEPTING)
    capacity_note: Mapped[str] = mapped_column(String(200), default="")
    capacity_rank: Mapped[int] = mapped_column(default=0)  # CAPACITY_RANK[capacity], kept by set_capacity
    capacity_updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(default=True)
    team_sharing: Mapped[bool] = mapped_column(default=False)  # referrals: every claimer sees the team's
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    organization: Mapped[Organization] = relationship()
    sites: Mapped[list[ProgramLocation]] = relationship(back_populates="program", cascade="all, delete-orphan")
    members: Mapped[list[ProgramMember]] = relationship(back_populates="program", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def categories(self) -> list[str]:
        return _split(self.categories_text)

    @categories.setter
    def categories(self, values: list[str]) -> None:
        self.categories_text = _join(values)

    @property
    def languages(self) -> list[str]:
        return _split(self.languages_text)

    @languages.setter
    def languages(self, values: list[str]) -> None:
        self.languages_text = _join(values)

    @property
    def area_zips(self) -> list[str]:
        return self.area_zips_text.split()

    @area_zips.setter
    def area_zips(self, values: list[str]) -> None:
        self.area_zips_text = " ".join(sorted(set(values)))

    @property
    def capacity_label(self) -> str:
        return Capacity(self.capacity).label

    @property
    def locations(self) -> list[Location]:
        return [site.location for site in self.sites]

    def __repr__(self) -> str:
        return f"<Program {self.id} {self.name!r}>"


class Location(db.Model):
    """A place where services are delivered (HSDS location with its one physical address)."""

    __tablename__ = "program_place"

    id: Mapped[int] = mapped_column(primary_key=True)
    hsds_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_hsds_id)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    address_1: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(40), default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="")
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    address_hsds_id: Mapped[str] = mapped_column(String(64), default=new_hsds_id)

    organization: Mapped[Organization] = relationship()

    # The directory's bounding box reads this index (latitude range, then longitude within it).
    __table_args__ = (Index("ix_program_place_lat_lon", "latitude", "longitude"),)


class ProgramLocation(db.Model):
    """A program offered at a location (HSDS service_at_location)."""

    __tablename__ = "program_location"

    id: Mapped[int] = mapped_column(primary_key=True)
    hsds_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_hsds_id)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("program_place.id", ondelete="CASCADE"), index=True)

    program: Mapped[Program] = relationship(back_populates="sites")
    location: Mapped[Location] = relationship()

    __table_args__ = (UniqueConstraint("program_id", "location_id"),)


class ProgramMember(db.Model):
    """A claimer: a user of the program's organization who receives and works its referrals."""

    __tablename__ = "program_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    program: Mapped[Program] = relationship(back_populates="members")
    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("program_id", "user_id"),)
