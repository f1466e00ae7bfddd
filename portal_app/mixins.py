"""Model mixins: one definition of what several domains' rows share.

* `Revocable`: a grant in force until revoked (a client share, a client access): `revoked_at/by`,
  `active` in Python and in SQL, and at most one active row per `active_key` (a partial unique index).
* `SignInBookkeeping`: what signing in keeps on a person (staff users, portal accounts): enabled,
  session epoch (S3), failed-login counter and lockout (S2), last sign-in.
"""
from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import ColumnElement, ForeignKey, Index, column
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from .db_types import UTCDateTime


class Revocable:
    """A row in force until someone revokes it; at most one active row per `active_key` columns."""

    active_key: ClassVar[tuple[str, ...]]  # e.g. ("client_id", "organization_id")

    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    @declared_attr
    def revoked_by(cls):  # noqa: N805  (declared_attr takes the class)
        return relationship("User", foreign_keys=f"{cls.__name__}.revoked_by_id")

    @declared_attr.directive
    def __table_args__(cls) -> tuple:  # noqa: N805
        not_revoked = column("revoked_at").is_(None)
        return (Index(f"uq_{cls.__tablename__}_active", *cls.active_key, unique=True,
                      postgresql_where=not_revoked, sqlite_where=not_revoked),)

    @hybrid_property
    def active(self) -> bool:
        """In force: not revoked (in SQL, `Model.active` is the same clause)."""
        return self.revoked_at is None

    @active.inplace.expression
    @classmethod
    def _active_clause(cls) -> ColumnElement[bool]:
        return cls.revoked_at.is_(None)


class SignInBookkeeping:
    """Columns signing in keeps on a person, and Flask-Login's `is_active` (a disabled person cannot sign in)."""

    enabled: Mapped[bool] = mapped_column(default=True)
    session_epoch: Mapped[int] = mapped_column(default=1)  # bumped on sign-out, password change, disable (S3)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    @property
    def is_active(self) -> bool:
        return self.enabled
