"""Append-only, hash-chained audit trail (S13)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import String, Text, event, select
from sqlalchemy.orm import Mapped, mapped_column

from . import locks
from .clock import utcnow
from .db_types import UTCDateTime
from .extensions import db

GENESIS = "0" * 64


class AuditEvent(db.Model):
    """One thing that happened; each row carries the hash of the row before it."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_kind: Mapped[str] = mapped_column(String(16), default="")
    actor_id: Mapped[int | None] = mapped_column(default=None)
    site: Mapped[str] = mapped_column(String(16), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    client_id: Mapped[int | None] = mapped_column(default=None, index=True)
    ip: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def payload(self) -> str:
        """The canonical text that this row's hash covers."""
        return json.dumps(
            [
                self.prev_hash,
                self.occurred_at.isoformat(timespec="microseconds"),
                self.actor_kind,
                self.actor_id,
                self.site,
                self.action,
                self.object_type,
                self.object_id,
                self.client_id,
                self.ip,
                self.details,
            ],
            separators=(",", ":"),
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.payload().encode()).hexdigest()


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target) -> None:
    raise RuntimeError("audit events are append-only")


def _actor_fields(actor: Any) -> tuple[str, int | None]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "", None
    kind = getattr(actor, "site", "") or actor.__class__.__name__.lower()
    return kind, actor.id


def record(
    action: str,
    actor: Any = None,
    *,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    client_id: int | None = None,
    site: str | None = None,
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain (flushes; the caller commits)."""
    if obj is not None:
        object_type = object_type or obj.__class__.__name__
        object_id = object_id or getattr(obj, "id", "")
    ip = ""
    if has_request_context():
        ip = request.remote_addr or ""
        if site is None:
            from .sites import site_for_path

            site = site_for_path(request.path) or ""
    session = db.session
    locks.serialize(locks.AUDIT_CHAIN)
    prev = session.execute(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).scalar()
    kind, actor_id = _actor_fields(actor)
    ev = AuditEvent(
        occurred_at=utcnow(),
        actor_kind=kind,
        actor_id=actor_id,
        site=site or "",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        client_id=client_id,
        ip=ip,
        details=json.dumps(details or {}, sort_keys=True, default=str),
        prev_hash=prev or GENESIS,
    )
    ev.hash = ev.compute_hash()
    session.add(ev)
    session.flush()
    return ev


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(batch: int = 1000) -> ChainReport:
    """Walk the chain in order; report the first row whose link or hash is wrong."""
    prev, checked, last_id = GENESIS, 0, 0
    while True:
        rows = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .limit(batch)
            .execution_options(populate_existing=True)  # what the table holds, not what the session cached
        ).all()
        if not rows:
            return ChainReport(checked)
        for ev in rows:
            if ev.prev_hash != prev:
                return ChainReport(checked, ev.id, "link to the previous event is broken")
            if ev.compute_hash() != ev.hash:
                return ChainReport(checked, ev.id, "event content does not match its hash")
            prev, checked, last_id = ev.hash, checked + 1, ev.id
        db.session.expunge_all()
