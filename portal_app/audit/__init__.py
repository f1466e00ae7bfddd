"""Append-only, tamper-evident audit trail (S13).

Recording an event only INSERTs a row that carries an HMAC-SHA256 of its content under a key the
database does not hold (`AUDIT_HMAC_KEY`), so no lock is taken on the request path. A worker
seals rows later (`sealing.py`): it gives them chain sequence numbers and hashes, and writes signed
checkpoints of the chain head outside the database. `verify.py` checks all three.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from .. import transactions
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..extensions import db

ROW_DOMAIN = b"caseport-audit-row-v1\x00"
MIN_KEY_LENGTH = 32


class AuditEvent(db.Model):
    """One thing that happened; `mac` vouches for its content, `seq`/`chain_hash` for its place."""

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
    # Random per row, so two identical events at the same instant still get distinct MACs.
    nonce: Mapped[str] = mapped_column(String(32))
    mac: Mapped[str] = mapped_column(String(64), unique=True)
    # Set by the sealer, off the request path: position in the chain and SHA-256(previous || mac).
    seq: Mapped[int | None] = mapped_column(default=None, unique=True)
    chain_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    sealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    def payload(self) -> bytes:
        """The canonical bytes that this row's HMAC covers (everything but id and the seal)."""
        return json.dumps(
            [
                self.nonce,
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
        ).encode()

    def compute_mac(self, key: bytes | None = None) -> str:
        """HMAC-SHA256 of the payload under the audit key."""
        return hmac.new(key or hmac_key(), ROW_DOMAIN + self.payload(), hashlib.sha256).hexdigest()


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target) -> None:
    raise RuntimeError("audit events are append-only")


def hmac_key() -> bytes:
    """The audit key of the running application (never stored in the database)."""
    return current_app.config["AUDIT_HMAC_KEY"].encode()


def init_app(app: Flask) -> None:
    """Resolve the audit key: from the environment, or (development) from instance/audit-hmac.key."""
    key = app.config.get("AUDIT_HMAC_KEY")
    if not key and app.config.get("AUDIT_HMAC_KEY_GENERATE"):
        from config import instance_key

        key = instance_key(Path(app.instance_path) / "audit-hmac.key")
    if not key or len(key) < MIN_KEY_LENGTH:
        raise RuntimeError(f"AUDIT_HMAC_KEY must be set to a random value of {MIN_KEY_LENGTH}+ characters")
    app.config["AUDIT_HMAC_KEY"] = key
    if not app.config.get("AUDIT_CHECKPOINT_DIR"):
        app.config["AUDIT_CHECKPOINT_DIR"] = str(Path(app.instance_path) / "audit-checkpoints")


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
    """Record one event: an INSERT and nothing else (the caller commits; no lock is taken).

    In a read-only request (a GET) the row is written in one short transaction at the end of the
    request, before the response leaves (see portal_app/transactions.py).
    """
    if obj is not None:
        object_type = object_type or obj.__class__.__name__
        object_id = object_id or getattr(obj, "id", "")
    ip = ""
    if has_request_context():
        ip = request.remote_addr or ""
        if site is None:
            from ..sites import site_for_path

            site = site_for_path(request.path) or ""
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
        nonce=secrets.token_hex(16),
    )
    ev.mac = ev.compute_mac()
    if transactions.read_only_request():
        transactions.write_after_request(ev)
        return ev
    db.session.add(ev)
    db.session.flush()
    return ev


from .sealing import Seal, seal_pending, write_checkpoint  # noqa: E402
from .verify import ChainReport, verify_chain  # noqa: E402

__all__ = [
    "AuditEvent", "ChainReport", "Seal", "hmac_key", "init_app", "record",
    "seal_pending", "verify_chain", "write_checkpoint",
]
