"""Client and CareTeamMember."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    event,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organization, User
from ..clock import utcnow
from ..db_types import PersonName, UTCDateTime, initials_of
from ..extensions import db
from ..files import StoredFile
from .normalize import digits, sort_key

CLIENT_LANGUAGES = ("en", "es")

# Labels staff give a care-team member; free text, these are the usual ones.
PRIMARY_CASE_MANAGER = "Primary case manager"
CASE_MANAGER = "Case manager"
SUPERVISOR = "Supervisor"


def _param(context, name: str) -> str:
    return context.get_current_parameters().get(name) or ""


def _sort_name_default(context) -> str:
    """Bulk inserts through the model get their sort key too (ORM writes: see search._keep_columns)."""
    return sort_key(_param(context, "first_name"), _param(context, "middle_name"), _param(context, "last_name"))


def _phone_digits_default(context) -> str:
    return digits(_param(context, "phone"))[:40]


class Client(PersonName, db.Model):
    """A person an agency serves."""

    __tablename__ = "client"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date | None] = mapped_column(Date, default=None)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"), default=None)
    photo_thumb_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"), default=None)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    zip_code: Mapped[str] = mapped_column(String(10), default="")
    preferred_language: Mapped[str] = mapped_column(String(5), default="en")
    part2_protected: Mapped[bool] = mapped_column(default=False)  # 42 CFR Part 2 record
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)
    # Kept by the model (clients/search.py): folded "last first middle" for the list's order; phone digits.
    sort_name: Mapped[str] = mapped_column(String(300), default=_sort_name_default)
    phone_digits: Mapped[str] = mapped_column(String(40), default=_phone_digits_default)

    organization: Mapped[Organization] = relationship()
    photo: Mapped[StoredFile | None] = relationship(foreign_keys=[photo_id])
    photo_thumb: Mapped[StoredFile | None] = relationship(foreign_keys=[photo_thumb_id])  # 96x96, for lists
    care_team: Mapped[list[CareTeamMember]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="CareTeamMember.id"
    )

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        CheckConstraint("preferred_language IN ('en', 'es')", name="preferred_language"),
        Index("ix_client_org_sort_name", organization_id, sort_name, id),
    )

    @property
    def initials(self) -> str:
        return initials_of(self.first_name, self.last_name)

    def __repr__(self) -> str:
        return f"<Client {self.id} org={self.organization_id}>"  # no names: repr lands in logs (S14)


def _of_the_client(context, column):
    """A column default: `column` of the client the inserted row names (ORM or bulk insert alike; the
    client's row is already written when it is)."""
    client_id = context.get_current_parameters().get("client_id")
    return context.connection.scalar(select(column).where(Client.id == client_id))


def client_sort_name_default(context) -> str:
    """A row that keeps a copy of its client's sort key (a care-team member, a share) starts with it."""
    return _of_the_client(context, Client.sort_name) or ""


def client_agency_default(context) -> int | None:
    """A row that keeps a copy of its client's agency (a contact) starts with it. A client never changes
    agency, so the copy never has to follow."""
    return _of_the_client(context, Client.organization_id)


class CareTeamMember(db.Model):
    """A staff member on a client's care team, with the label of their part in it."""

    __tablename__ = "care_team_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[str] = mapped_column(String(60), default=CASE_MANAGER)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The client's sort key, kept with the client's name (_care_teams_follow_the_client): a staff member's
    # caseload is paged by name on one index, whatever the size of the caseload or of the agency (P6).
    client_sort_name: Mapped[str] = mapped_column(String(300), default=client_sort_name_default, server_default="")

    client: Mapped[Client] = relationship(back_populates="care_team")
    user: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint(client_id, user_id, name="uq_care_team_member_client_user"),
        Index("ix_care_team_member_caseload", user_id, client_sort_name, client_id),
    )

    def __repr__(self) -> str:
        return f"<CareTeamMember client={self.client_id} user={self.user_id} {self.role!r}>"


@event.listens_for(Client, "after_update")
def _care_teams_follow_the_client(mapper, connection, client: Client) -> None:
    """A renamed client moves to their new place in every caseload (same transaction)."""
    if inspect(client).attrs.sort_name.history.has_changes():
        connection.execute(update(CareTeamMember).where(CareTeamMember.client_id == client.id)
                           .values(client_sort_name=client.sort_name))
