"""ServiceProvider (client plan), ClientShare, Contact."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    ForeignKey, Index, String, Text, UniqueConstraint, delete, event, insert, inspect, select, text, update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organization, User
from ..clients.models import CareTeamMember, Client, client_agency_default, client_sort_name_default
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..extensions import db
from ..mixins import Revocable


class ContactMethod(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"
    HOME_VISIT = "home_visit"
    EMAIL = "email"
    TEXT = "text"

    @property
    def label(self) -> str:
        return CONTACT_METHOD_LABELS[self]


CONTACT_METHOD_LABELS = {
    ContactMethod.IN_PERSON: "In person",
    ContactMethod.PHONE: "Phone",
    ContactMethod.VIDEO: "Video",
    ContactMethod.HOME_VISIT: "Home visit",
    ContactMethod.EMAIL: "Email",
    ContactMethod.TEXT: "Text message",
}


def method_label_of(method: str) -> str:
    """The label of a stored contact method ("home_visit" -> "Home visit"), for a Contact or a row of columns."""
    return CONTACT_METHOD_LABELS.get(ContactMethod(method), method)


class ContactSource(StrEnum):
    STAFF = "staff"
    THIRD_PARTY = "third_party"


class ServiceProvider(db.Model):
    """A partner organization on a client's plan, with the service it provides."""

    __tablename__ = "service_provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    service: Mapped[str] = mapped_column(String(200), default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship()
    organization: Mapped[Organization] = relationship()
    added_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint(client_id, organization_id, name="uq_service_provider_client_org"),)


class ClientShare(Revocable, db.Model):
    """A client shared with a partner organization, until revoked ("Stop sharing")."""

    __tablename__ = "client_share"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    shared_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The release of information the share relies on (agencies where sharing requires one): the share ends
    # when it expires or is revoked. A supervisor's override instead keeps its reason.
    roi_id: Mapped[int | None] = mapped_column(ForeignKey("release_of_information.id"), index=True, default=None)
    roi_override_reason: Mapped[str] = mapped_column(Text, default="")
    # The client's sort key, kept with the client's name (_follow_the_client): a partner's "Shared clients"
    # pages through its shares by name on one index, however many it has (P6).
    client_sort_name: Mapped[str] = mapped_column(String(300), default=client_sort_name_default, server_default="")

    client: Mapped[Client] = relationship()
    organization: Mapped[Organization] = relationship()
    shared_by: Mapped[User] = relationship(foreign_keys=[shared_by_id])

    active_key = ("client_id", "organization_id")  # Revocable: one active share of a client per organization


# A partner's active shares in the order of the list: the page is the index's next 26 entries.
Index("ix_client_share_partner_list", ClientShare.organization_id, ClientShare.client_sort_name, ClientShare.id,
      postgresql_where=ClientShare.revoked_at.is_(None), sqlite_where=ClientShare.revoked_at.is_(None))


@event.listens_for(Client, "after_update")
def _follow_the_client(mapper, connection, client: Client) -> None:
    """A renamed client moves to their new place in every partner's list (same transaction)."""
    if inspect(client).attrs.sort_name.history.has_changes():
        connection.execute(update(ClientShare).where(ClientShare.client_id == client.id)
                           .values(client_sort_name=client.sort_name))


# A third-party contact waiting for review, as SQL text: the partial indexes below hold only these rows,
# and queries repeat the same literal condition (a bound parameter would keep the planners from using them).
PENDING_REVIEW_SQL = "source = 'third_party' AND reviewed_at IS NULL"


class Contact(db.Model):
    """A contact with a client, recorded by staff or by a partner organization (third party)."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    # A copy of the client's agency (organization_id is the author's), filled on insert: an agency's Needs Review
    # is one range of a partial index, however many other agencies the deployment holds.
    agency_id: Mapped[int | None] = mapped_column(default=client_agency_default)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    method: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16), default=ContactSource.STAFF)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    client: Mapped[Client] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    organization: Mapped[Organization] = relationship()
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        Index("ix_contact_client_occurred", client_id, occurred_at),
        Index("ix_contact_client_org_occurred", client_id, organization_id, occurred_at),  # a partner's own
        # Needs Review: an agency's newest (staff home), and one client's (client log, a caseload).
        Index("ix_contact_needs_review_agency", agency_id, occurred_at, id, postgresql_where=text(PENDING_REVIEW_SQL),
              sqlite_where=text(PENDING_REVIEW_SQL)),
        Index("ix_contact_needs_review_client", client_id, occurred_at, postgresql_where=text(PENDING_REVIEW_SQL),
              sqlite_where=text(PENDING_REVIEW_SQL)),
    )

    @property
    def is_third_party(self) -> bool:
        return self.source == ContactSource.THIRD_PARTY

    @property
    def needs_review(self) -> bool:
        return self.is_third_party and self.reviewed_at is None

    @property
    def method_label(self) -> str:
        return method_label_of(self.method)

    @property
    def tags(self) -> list[str]:
        """The client log's tags: Actual for staff and reviewed contacts; Third-Party; Reviewed."""
        if self.needs_review:
            return ["Needs Review", "Third-Party"]
        tags = ["Actual"]
        if self.is_third_party:
            tags += ["Third-Party", "Reviewed"]
        return tags


class ReviewWaiting(db.Model):
    """A third-party contact awaiting review, once for each member of its client's care team: a case manager's
    Needs Review is the newest entries of one index range, whatever the size of their caseload (P6). Read from
    the contacts, a caseload of 1,500 walked the agency's newest pending contacts to find a hundred of its own.

    Kept in the same transaction as the contact and the care team by the events below, however they change
    (services, administration, the demo); `rebuild_review_waiting` after bulk loads that bypass them."""

    __tablename__ = "review_waiting"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    agency_id: Mapped[int | None] = mapped_column()  # the contact's copy of its client's agency
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_review_waiting_newest", user_id, agency_id, occurred_at, contact_id),
        Index("ix_review_waiting_client", client_id, user_id),  # a care team's change; a client's deletion
    )


_WAITING, _CONTACT, _TEAM = ReviewWaiting.__table__, Contact.__table__, CareTeamMember.__table__
_WAITING_COLUMNS = ["contact_id", "user_id", "client_id", "agency_id", "occurred_at"]


def pending_review():
    """Third-party and not reviewed, as the literal text of the partial indexes' condition (so they serve it)."""
    return text(PENDING_REVIEW_SQL.replace("source", "contact.source").replace("reviewed_at", "contact.reviewed_at"))


def _waiting_rows(*where):
    """Pending contacts once for each member of their client's care team, as review_waiting rows (`where`
    narrows them to one contact or one member of one care team)."""
    return (select(_CONTACT.c.id, _TEAM.c.user_id, _CONTACT.c.client_id, _CONTACT.c.agency_id,
                   _CONTACT.c.occurred_at)
            .join(_TEAM, _TEAM.c.client_id == _CONTACT.c.client_id).where(pending_review(), *where))


def _add_waiting(executor, *where) -> None:
    executor.execute(insert(_WAITING).from_select(_WAITING_COLUMNS, _waiting_rows(*where)))


def rebuild_review_waiting() -> int:
    """Every case manager's Needs Review entries again, from the contacts and the care teams (after a bulk load
    or an upgrade). Returns the number of entries."""
    db.session.execute(delete(_WAITING))
    _add_waiting(db.session)
    return db.session.scalar(select(db.func.count()).select_from(_WAITING))


def _lock_client(connection, client_id: int) -> None:
    """One client's pending contacts and care team change one transaction at a time, so that the entries each
    writes see what the other committed: otherwise a contact recorded while a colleague joined the care team
    waited for everyone but the newcomer, and a contact reviewed while one joined stayed on their list.
    PostgreSQL: the client's row, FOR NO KEY UPDATE (a contact's foreign-key check does not wait for it);
    SQLite's writers already run one at a time."""
    if connection.dialect.name == "postgresql":
        client = Client.__table__
        connection.execute(select(client.c.id).where(client.c.id == client_id).with_for_update(key_share=True))


def _changed(target, *names: str) -> bool:
    attrs = inspect(target).attrs
    return any(attrs[name].history.has_changes() for name in names)


@event.listens_for(Contact, "after_insert")
def _contact_recorded(mapper, connection, contact: Contact) -> None:
    if contact.needs_review:
        _lock_client(connection, contact.client_id)
        _add_waiting(connection, _CONTACT.c.id == contact.id)  # it waits for every member of the care team


@event.listens_for(Contact, "after_update")
def _contact_changed(mapper, connection, contact: Contact) -> None:
    """Reviewed: it waits for nobody. Moved in time (or anything else the entries copy): they follow."""
    if _changed(contact, "reviewed_at", "source", "occurred_at", "client_id", "agency_id"):
        _lock_client(connection, contact.client_id)
        connection.execute(delete(_WAITING).where(_WAITING.c.contact_id == contact.id))
        if contact.needs_review:
            _add_waiting(connection, _CONTACT.c.id == contact.id)


def _team_waits(connection, user_id: int, client_id: int) -> None:
    """The client's pending contacts wait for this member of their care team too."""
    _lock_client(connection, client_id)
    _add_waiting(connection, _CONTACT.c.client_id == client_id, _TEAM.c.user_id == user_id)


def _team_stops_waiting(connection, user_id: int, client_id: int) -> None:
    _lock_client(connection, client_id)
    connection.execute(delete(_WAITING).where(_WAITING.c.client_id == client_id, _WAITING.c.user_id == user_id))


@event.listens_for(CareTeamMember, "after_insert")
def _joined_a_care_team(mapper, connection, member: CareTeamMember) -> None:
    _team_waits(connection, member.user_id, member.client_id)


@event.listens_for(CareTeamMember, "after_delete")
def _left_a_care_team(mapper, connection, member: CareTeamMember) -> None:
    _team_stops_waiting(connection, member.user_id, member.client_id)


@event.listens_for(CareTeamMember, "after_update")
def _care_team_member_changed(mapper, connection, member: CareTeamMember) -> None:
    """The same row given to another person or client: the entries move with it."""
    if _changed(member, "user_id", "client_id"):
        attrs = inspect(member).attrs
        old_user = (attrs.user_id.history.deleted or [member.user_id])[0]
        old_client = (attrs.client_id.history.deleted or [member.client_id])[0]
        _team_stops_waiting(connection, old_user, old_client)
        _team_waits(connection, member.user_id, member.client_id)
