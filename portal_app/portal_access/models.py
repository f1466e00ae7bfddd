"""PortalAccount, ClientAccess (who acts for which client), Invitation, HiddenItem."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ColumnElement, ForeignKey, Index, String, UniqueConstraint, and_, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..clients.models import Client
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..extensions import db
from ..mixins import Revocable, SignInBookkeeping


class Relationship(StrEnum):
    SELF = "self"
    REPRESENTATIVE = "representative"


MAX_FULL_NAME = 120

class PortalAccount(SignInBookkeeping, UserMixin, db.Model):
    """A person who signs in to the client portal; one account may act for several clients."""

    __tablename__ = "portal_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32))  # chosen once, never changed
    # The person's own name, typed at registration: staff read "Ana Delgado, mother of Sam Delgado".
    full_name: Mapped[str] = mapped_column(String(MAX_FULL_NAME), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254))  # for notifications only; not unique
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(5), default="en")
    # When the last reset email was queued: at most one per RESET_EMAIL_INTERVAL, whatever is asked.
    reset_email_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    accesses: Mapped[list[ClientAccess]] = relationship(back_populates="account", order_by="ClientAccess.id")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("uq_portal_account_username_lower", func.lower(username), unique=True),)

    site = "portal"
    kind = "portal"  # what authz grants act on (staff and partner users have a role instead)
    is_staff = False

    @property
    def display_name(self) -> str:
        return self.username

    def get_id(self) -> str:
        return f"portal:{self.id}:{self.session_epoch}"

    def __repr__(self) -> str:
        return f"<PortalAccount {self.id}>"


class ClientAccess(Revocable, db.Model):
    """One account may act for one client: as the client themself or as a representative."""

    __tablename__ = "client_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("portal_account.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    relationship_kind: Mapped[str] = mapped_column("relationship", String(16), default=Relationship.SELF)
    relationship_label: Mapped[str] = mapped_column(String(60), default="")  # mother, guardian, son ...
    can_sign: Mapped[bool] = mapped_column(default=False)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    account: Mapped[PortalAccount] = relationship(back_populates="accesses")
    client: Mapped[Client] = relationship()
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])

    active_key = ("account_id", "client_id")  # Revocable: one active access per account and client

    @classmethod
    def readable(cls) -> ColumnElement[bool]:
        """An active access whose account may sign in (the query joins PortalAccount)."""
        return and_(cls.active, PortalAccount.enabled.is_(True))

    @property
    def is_self(self) -> bool:
        return self.relationship_kind == Relationship.SELF

    @property
    def label(self) -> str:
        """How the portal names this link: "self" or the representative's relationship."""
        return "self" if self.is_self else (self.relationship_label or "representative")


class Invitation(db.Model):
    """An invitation to act for a client on the portal; its emailed link is signed and works once."""

    __tablename__ = "portal_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    relationship_kind: Mapped[str] = mapped_column("relationship", String(16), default=Relationship.SELF)
    relationship_label: Mapped[str] = mapped_column(String(60), default="")
    can_sign: Mapped[bool] = mapped_column(default=False)
    nonce: Mapped[str] = mapped_column(String(32))  # rotated on resend: older links stop working
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    accepted_account_id: Mapped[int | None] = mapped_column(ForeignKey("portal_account.id"), default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)

    client: Mapped[Client] = relationship()
    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])

    def status(self, now: datetime) -> str:
        """pending, accepted, cancelled or expired."""
        if self.accepted_at is not None:
            return "accepted"
        if self.cancelled_at is not None:
            return "cancelled"
        if self.expires_at <= now:
            return "expired"
        return "pending"


class HiddenItem(db.Model):
    """Per-representative visibility: an item of a client hidden from one account acting for them.

    The client and every other representative still see it. Portal queries apply
    `policy.visible_to(access, item_type, id_column)`; templates never decide.
    """

    __tablename__ = "hidden_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    access_id: Mapped[int] = mapped_column(ForeignKey("client_access.id", ondelete="CASCADE"), index=True)
    item_type: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[int] = mapped_column()
    hidden_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    hidden_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    access: Mapped[ClientAccess] = relationship()
    hidden_by: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint(access_id, item_type, item_id, name="uq_hidden_item_access_item"),)
