"""`flask audit-verify`: every row's HMAC, the chain over sequence numbers, the head against a checkpoint.

What each check catches:
- HMAC per row: an edited row, sealed or not (nobody without the key can make a matching HMAC);
- sequence numbers 1..N without gaps: a sealed row deleted in the middle;
- stored chain hashes recomputed and compared: chain columns edited by hand;
- the latest signed checkpoint (outside the database): deleted newest rows (fewer rows than it
  vouches for) and a rewritten history (another chain hash at its position), even when whoever
  did it renumbered the rows and recomputed every following hash;
- unsealed rows older than AUDIT_SEAL_MAX_LAG: the sealer is not running.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from ..clock import utcnow
from ..extensions import db
from ..transactions import reading_only
from . import AuditEvent, hmac_key
from .sealing import GENESIS, chain_hash, checkpoint_dir, checkpoint_mac, key_fingerprint

SENTENCES_PER_KIND = 5


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    head: str
    at: str
    source: str


@dataclass
class ChainReport:
    """What verification found; `ok` when it found nothing wrong."""

    checked: int = 0
    sealed: int = 0
    unsealed: int = 0
    head_seq: int = 0
    checkpoint: Checkpoint | None = None
    problems: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, kind: str, sentence: str) -> None:
        self.problems[kind].append(sentence)

    def sentences(self) -> list[str]:
        """At most a few sentences per kind of failure, then how many more there are."""
        out = []
        for found in self.problems.values():
            out += found[:SENTENCES_PER_KIND]
            if len(found) > SENTENCES_PER_KIND:
                out.append(f"... and {len(found) - SENTENCES_PER_KIND} more like the one above.")
        return out


def latest_checkpoint(report: ChainReport, key: bytes) -> Checkpoint | None:
    """The checkpoint with the highest position in the newest checkpoint file; bad lines are problems."""
    files = sorted(checkpoint_dir().glob("*.jsonl"))
    fingerprint = key_fingerprint(key)
    for path in reversed(files):
        best = None
        for number, line in enumerate(path.read_text().splitlines(), 1):
            try:
                data = json.loads(line)
                cp = Checkpoint(int(data["seq"]), str(data["head"]), str(data["at"]), f"{path.name} line {number}")
                signed = checkpoint_mac(cp.seq, cp.head, cp.at, key) == data["mac"]
            except (ValueError, KeyError, TypeError):
                report.problem("checkpoint",
                               f"Checkpoint {path.name} line {number} is damaged (not a signed checkpoint).")
                continue
            if not signed:
                other = "" if data.get("key") == fingerprint else " (it names another key)"
                report.problem("checkpoint", f"Checkpoint {cp.source} is not signed with this audit key{other}: "
                                             "it was forged or altered.")
            elif best is None or cp.seq > best.seq:
                best = cp
        if best is not None:
            return best
    return None


def _walk_sealed(report: ChainReport, key: bytes, checkpoint: Checkpoint | None, batch: int) -> str | None:
    """Check the sealed rows in chain order; return the computed chain hash at the checkpoint's position."""
    expected, previous, at_checkpoint = 1, GENESIS, None
    while True:
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.seq >= expected).order_by(AuditEvent.seq).limit(batch)
            .execution_options(populate_existing=True)  # what the table holds, not what the session cached
        ).all()
        if not rows:
            return at_checkpoint
        for ev in rows:
            if ev.seq != expected:
                report.problem("gap", f"Sealed events #{expected} to #{ev.seq - 1} are missing before event {ev.id}: "
                                      f"{ev.seq - expected} event(s) were deleted.")
                previous = None  # the link into this row cannot be checked; resume from what it stores
            if ev.compute_mac(key) != ev.mac:
                report.problem("edited", f"Event {ev.id} (#{ev.seq}, {ev.action}) was altered: "
                                         "its content does not match its HMAC.")
            computed = chain_hash(previous, ev.mac) if previous is not None else ev.chain_hash
            if computed != ev.chain_hash:
                report.problem("link", f"The chain hash stored with event {ev.id} (#{ev.seq}) is wrong: "
                                       "the chain columns were altered.")
            if checkpoint is not None and ev.seq == checkpoint.seq:
                at_checkpoint = computed
            previous, expected = ev.chain_hash, ev.seq + 1
            report.checked, report.sealed, report.head_seq = report.checked + 1, report.sealed + 1, ev.seq
        db.session.expunge_all()


def _check_unsealed(report: ChainReport, key: bytes, batch: int) -> None:
    last_id = 0
    while True:
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.seq.is_(None), AuditEvent.id > last_id).order_by(AuditEvent.id)
            .limit(batch).execution_options(populate_existing=True)
        ).all()
        if not rows:
            break
        for ev in rows:
            if ev.compute_mac(key) != ev.mac:
                report.problem("edited", f"Event {ev.id} (not sealed yet, {ev.action}) was altered: "
                                         "its content does not match its HMAC.")
            report.checked, report.unsealed, last_id = report.checked + 1, report.unsealed + 1, ev.id
        db.session.expunge_all()
    lag = current_app.config["AUDIT_SEAL_MAX_LAG"]
    late, oldest = db.session.execute(
        select(func.count(), func.min(AuditEvent.occurred_at))
        .where(AuditEvent.seq.is_(None), AuditEvent.occurred_at < utcnow() - timedelta(seconds=lag))
    ).one()
    if late:
        report.problem("lag", f"{late} event(s) older than {lag} s are not sealed yet (the oldest from "
                              f"{oldest:%Y-%m-%d %H:%M:%S} UTC): is `flask outbox-worker` running? "
                              "`flask audit-seal` seals them now.")


def verify_chain(batch: int = 1000) -> ChainReport:
    """Check the whole trail in a read transaction that never blocks writers; lists every failure found."""
    with reading_only():  # a transaction begun here is a deferred read (the CLI starts with none)
        return _verify(batch)


def _verify(batch: int) -> ChainReport:
    key, report = hmac_key(), ChainReport()
    checkpoint = report.checkpoint = latest_checkpoint(report, key)
    at_checkpoint = _walk_sealed(report, key, checkpoint, batch)
    if checkpoint is not None and checkpoint.seq > report.head_seq:
        report.problem("tail", f"The chain ends at #{report.head_seq} but the checkpoint of {checkpoint.at} "
                               f"vouches for #{checkpoint.seq}: the newest {checkpoint.seq - report.head_seq} "
                               "sealed event(s) were deleted.")
    elif checkpoint is not None and at_checkpoint != checkpoint.head:
        report.problem("rewritten", f"The chain at #{checkpoint.seq} does not match the checkpoint of "
                                    f"{checkpoint.at}: sealed history was rewritten.")
    elif checkpoint is None and report.sealed:
        report.problem("checkpoint", f"No signed checkpoint in {checkpoint_dir()} although {report.sealed} events "
                                     "are sealed: deleted newest events could not be detected.")
    duplicates = db.session.scalars(
        select(AuditEvent.mac).group_by(AuditEvent.mac).having(func.count() > 1).limit(SENTENCES_PER_KIND)
    ).all()
    for mac in duplicates:
        report.problem("copied", f"Events with HMAC {mac[:12]}... appear more than once: rows were copied.")
    _check_unsealed(report, key, batch)
    return report
