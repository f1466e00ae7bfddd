"""Consent to sign electronically (ESIGN Act), given once per portal account and withdrawable.

A row per consent given: when, which text version, from which address; `withdrawn_at` set when the person
withdraws it in Account settings (documents then go to paper). Nothing is deleted.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from .. import audit
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..extensions import db

CONSENT_VERSION = "esign-consent-2026-11"


class ESignConsent(db.Model):
    """A portal account's consent to do business electronically, as shown (text version) and from where."""

    __tablename__ = "esign_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("portal_account.id"), index=True)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text_version: Mapped[str] = mapped_column(String(40), default=CONSENT_VERSION)
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    def __repr__(self) -> str:
        return f"<ESignConsent {self.id} account={self.account_id}{' withdrawn' if self.withdrawn_at else ''}>"


def current_consent(account) -> ESignConsent | None:
    """The account's consent in force (the latest, not withdrawn), or None."""
    row = db.session.scalar(select(ESignConsent).where(ESignConsent.account_id == account.id)
                            .order_by(ESignConsent.id.desc()).limit(1))
    return row if row is not None and row.withdrawn_at is None else None


def was_withdrawn(account) -> bool:
    """Whether the account's latest consent was withdrawn (documents then go to paper)."""
    row = db.session.scalar(select(ESignConsent).where(ESignConsent.account_id == account.id)
                            .order_by(ESignConsent.id.desc()).limit(1))
    return row is not None and row.withdrawn_at is not None


def latest_consent(account) -> ESignConsent | None:
    """The account's latest consent row, in force or withdrawn (None: never asked)."""
    return db.session.scalar(select(ESignConsent).where(ESignConsent.account_id == account.id)
                             .order_by(ESignConsent.id.desc()).limit(1))


def give_consent(account, ip: str = "") -> ESignConsent:
    """Record the consent (idempotent while one is in force). After a withdrawal, giving it again is a new row
    and a new event ("again"): the withdrawn one stays as it was."""
    row = current_consent(account)
    if row is not None:
        return row
    again = was_withdrawn(account)
    row = ESignConsent(account_id=account.id, given_at=utcnow(), text_version=CONSENT_VERSION, ip_address=ip[:64])
    db.session.add(row)
    db.session.flush()
    audit.record("esign.consent_given", account, obj=row, details={"version": CONSENT_VERSION, "again": again})
    return row


def consent_of_accesses(client_id: int) -> list[tuple[Any, ESignConsent | None]]:
    """Each active portal access of the client with its account's latest consent (staff: given at, withdrawn at;
    two queries whatever the number of accounts)."""
    from sqlalchemy.orm import joinedload

    from ..portal_access.models import ClientAccess

    accesses = list(db.session.scalars(select(ClientAccess).options(joinedload(ClientAccess.account))
                                       .where(ClientAccess.client_id == client_id, ClientAccess.active)
                                       .order_by(ClientAccess.id)))
    latest: dict[int, ESignConsent] = {}
    if accesses:
        for row in db.session.scalars(select(ESignConsent).where(
                ESignConsent.account_id.in_([a.account_id for a in accesses])).order_by(ESignConsent.id)):
            latest[row.account_id] = row
    return [(a, latest.get(a.account_id)) for a in accesses]


def withdraw_consent(account) -> bool:
    """Withdraw the consent in force; False when there was none."""
    row = current_consent(account)
    if row is None:
        return False
    row.withdrawn_at = utcnow()
    db.session.flush()
    audit.record("esign.consent_withdrawn", account, obj=row, details={"version": row.text_version})
    return True
