"""Sealing the audit trail, off the request path: chain positions, chain hashes, signed checkpoints.

`seal_pending` gives unsealed rows (in id order) the next sequence numbers and a chain hash
SHA-256(previous chain hash || row HMAC). Only sealers serialize among themselves: on PostgreSQL a
transaction-scoped advisory lock tried without waiting (a second sealer skips its turn); on SQLite
the sealing transaction is BEGIN IMMEDIATE. Requests never wait for a sealer.

After the commit, `write_checkpoint` appends the new chain head, signed with the audit key, to a
JSON-lines file outside the database (one file per UTC day in AUDIT_CHECKPOINT_DIR), like
Certificate Transparency's signed tree heads: deleting the newest rows or rewriting the chain then
no longer matches what the checkpoint vouches for.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import bindparam, func, select, update

from .. import locks
from ..clock import utcnow
from ..extensions import db
from . import AuditEvent, hmac_key

GENESIS = "0" * 64
CHECKPOINT_DOMAIN = b"caseport-audit-checkpoint-v1\x00"
SEAL_BATCH = 1000


@dataclass(frozen=True)
class Seal:
    """What one sealing pass did: how many rows it sealed and the chain head after it."""

    sealed: int
    seq: int
    head: str


def chain_hash(previous: str, mac: str) -> str:
    """The chain link: SHA-256 over the previous chain hash and this row's HMAC (hex)."""
    return hashlib.sha256(f"{previous}{mac}".encode()).hexdigest()


def chain_head() -> tuple[int, str]:
    """The last sealed position and its chain hash ((0, GENESIS) before the first seal)."""
    last = db.session.scalar(select(func.max(AuditEvent.seq)))
    if last is None:
        return 0, GENESIS
    return last, db.session.scalar(select(AuditEvent.chain_hash).where(AuditEvent.seq == last))


def seal_pending(limit: int = SEAL_BATCH) -> Seal | None:
    """Seal up to `limit` unsealed rows in id order (flushes; the caller commits).

    None when another sealer holds the turn (PostgreSQL) or nothing was waiting.
    """
    if not locks.try_serialize(locks.AUDIT_SEAL):
        return None
    seq, head = chain_head()
    rows = db.session.execute(
        select(AuditEvent.id, AuditEvent.mac).where(AuditEvent.seq.is_(None)).order_by(AuditEvent.id).limit(limit)
    ).all()
    if not rows:
        return None
    now, params = utcnow(), []
    for row_id, mac in rows:
        seq, head = seq + 1, chain_hash(head, mac)
        params.append({"row_id": row_id, "new_seq": seq, "new_hash": head, "now": now})
    table = AuditEvent.__table__  # a Core UPDATE: the ORM refuses to change an audit event
    db.session.execute(
        update(table)
        .where(table.c.id == bindparam("row_id"), table.c.seq.is_(None))
        .values(seq=bindparam("new_seq"), chain_hash=bindparam("new_hash"), sealed_at=bindparam("now")),
        params,
    )
    return Seal(len(rows), seq, head)


# --- Checkpoints ---------------------------------------------------------------------------------


def _signed_fields(seq: int, head: str, at: str) -> bytes:
    return json.dumps([seq, head, at], separators=(",", ":")).encode()


def checkpoint_mac(seq: int, head: str, at: str, key: bytes | None = None) -> str:
    """HMAC-SHA256 of a checkpoint's fields under the audit key."""
    return hmac.new(key or hmac_key(), CHECKPOINT_DOMAIN + _signed_fields(seq, head, at), hashlib.sha256).hexdigest()


def key_fingerprint(key: bytes | None = None) -> str:
    """A short public name of the key, so a checkpoint signed with another key is recognisable."""
    return hashlib.sha256(b"caseport-audit-key-id\x00" + (key or hmac_key())).hexdigest()[:16]


def checkpoint_dir() -> Path:
    return Path(current_app.config["AUDIT_CHECKPOINT_DIR"])


def write_checkpoint(seal: Seal, now: datetime | None = None) -> Path:
    """Append the signed chain head to today's checkpoint file (created 0600; never rewritten)."""
    at = (now or utcnow()).isoformat(timespec="microseconds")
    line = json.dumps({"seq": seal.seq, "head": seal.head, "at": at, "key": key_fingerprint(),
                       "mac": checkpoint_mac(seal.seq, seal.head, at)}, separators=(",", ":"))
    folder = checkpoint_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{at[:10]}.jsonl"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, (line + "\n").encode())  # one write of a short line: appends stay whole
        os.fsync(fd)
    finally:
        os.close(fd)
    return path
