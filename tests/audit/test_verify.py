"""`flask audit-verify` (S13): intact trails pass; each way of tampering from the database fails, by name."""
from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.audit.sealing import chain_hash
from portal_app.extensions import db


def test_an_intact_sealed_trail_verifies(trail):
    trail.record(5)
    seal = trail.seal()
    assert (seal.sealed, seal.seq) == (5, 5)
    result = trail.verify()
    assert result.exit_code == 0, result.output
    assert "Audit trail intact: 5 events verified (5 sealed, 0 awaiting sealing)" in result.output
    assert "matches the checkpoint" in result.output


def test_rows_are_sealed_in_id_order_into_one_chain(trail):
    ids = trail.record(3)
    trail.seal()
    more = trail.record(2)
    trail.seal()
    rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [ev.id for ev in rows] == ids + more and [ev.seq for ev in rows] == [1, 2, 3, 4, 5]
    previous = "0" * 64
    for ev in rows:
        assert ev.chain_hash == chain_hash(previous, ev.mac) and ev.sealed_at is not None
        previous = ev.chain_hash
    lines = [json.loads(line) for line in next(trail.checkpoints.glob("*.jsonl")).read_text().splitlines()]
    assert [(cp["seq"], cp["head"]) for cp in lines] == [(3, rows[2].chain_hash), (5, rows[4].chain_hash)]
    assert oct(next(trail.checkpoints.glob("*.jsonl")).stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("sealed", [True, False], ids=["sealed", "not-sealed-yet"])
@pytest.mark.parametrize("column", ["action", "details", "ip"])
def test_an_edited_row_fails(trail, column, sealed):
    ids = trail.record(5)
    if sealed:
        trail.seal()
    trail.tamper(f"UPDATE audit_event SET {column} = 'x' WHERE id = :id", id=ids[2])
    result = trail.verify()
    assert result.exit_code == 1
    assert f"Event {ids[2]} " in result.output and "was altered: its content does not match its HMAC" in result.output


def test_a_row_deleted_in_the_middle_fails(trail):
    ids = trail.record(5)
    trail.seal()
    trail.tamper("DELETE FROM audit_event WHERE id = :id", id=ids[2])
    result = trail.verify()
    assert result.exit_code == 1
    assert f"Sealed events #3 to #3 are missing before event {ids[3]}: 1 event(s) were deleted." in result.output


def test_rows_deleted_at_the_tail_after_a_checkpoint_fail(trail):
    ids = trail.record(5)
    trail.seal()
    trail.tamper("DELETE FROM audit_event WHERE id >= :id", id=ids[3])
    result = trail.verify()
    assert result.exit_code == 1
    assert "The chain ends at #3 but the checkpoint of" in result.output
    assert "vouches for #5: the newest 2 sealed event(s) were deleted." in result.output


def _rechain(trail, rows) -> None:
    """What someone without the key can do: recompute every chain hash from the (forged) MACs."""
    previous = "0" * 64
    for seq, (row_id, mac) in enumerate(rows, 1):
        previous = chain_hash(previous, mac)
        trail.tamper("UPDATE audit_event SET seq = :seq, chain_hash = :h WHERE id = :id", seq=-row_id, h=previous,
                     id=row_id)
    for seq, (row_id, _) in enumerate(rows, 1):
        trail.tamper("UPDATE audit_event SET seq = :seq WHERE id = :id", seq=seq, id=row_id)


def test_an_edit_with_the_following_hashes_recomputed_fails(trail):
    ids = trail.record(5)
    trail.seal()
    row = db.session.get(AuditEvent, ids[1])
    db.session.expunge(row)
    row.action = "rewritten"
    forged = hashlib.sha256(row.payload()).hexdigest()  # the best one can do without the key
    trail.tamper("UPDATE audit_event SET action = 'rewritten', mac = :m WHERE id = :id", m=forged, id=ids[1])
    _rechain(trail, db.session.execute(select(AuditEvent.id, AuditEvent.mac).order_by(AuditEvent.id)).all())
    result = trail.verify()
    assert result.exit_code == 1
    assert f"Event {ids[1]} (#2, rewritten) was altered" in result.output
    assert "The chain at #5 does not match the checkpoint of" in result.output
    assert "sealed history was rewritten" in result.output
    assert "chain hash stored" not in result.output  # the links themselves are consistent again


def test_a_deletion_hidden_by_renumbering_and_rehashing_fails(trail):
    ids = trail.record(5)
    trail.seal()
    trail.record(1)
    trail.seal()  # checkpoint at #6
    trail.tamper("DELETE FROM audit_event WHERE id = :id", id=ids[2])
    _rechain(trail, db.session.execute(select(AuditEvent.id, AuditEvent.mac).order_by(AuditEvent.id)).all())
    result = trail.verify()
    assert result.exit_code == 1
    assert "Sealed events" not in result.output  # no gap is left to see ...
    assert "The chain ends at #5 but the checkpoint" in result.output  # ... but the checkpoint counts


def test_a_forged_checkpoint_fails(trail):
    trail.record(2)
    trail.seal()
    path = next(trail.checkpoints.glob("*.jsonl"))
    with path.open("a") as fh:
        fh.write(json.dumps({"seq": 1, "head": "0" * 64, "at": "2026-01-01T00:00:00", "mac": "0" * 64}) + "\n")
    result = trail.verify()
    assert result.exit_code == 1
    assert "line 2 is not signed with this audit key" in result.output


def test_sealed_rows_without_any_checkpoint_fail(trail):
    trail.record(2)
    trail.seal()
    for path in trail.checkpoints.glob("*.jsonl"):
        path.unlink()
    result = trail.verify()
    assert result.exit_code == 1
    assert "No signed checkpoint" in result.output


def test_unsealed_rows_older_than_the_lag_are_reported(trail, monkeypatch):
    trail.record(2)
    assert trail.verify().exit_code == 0  # recorded just now: within the lag
    monkeypatch.setitem(trail.app.config, "AUDIT_SEAL_MAX_LAG", 0)
    result = trail.verify()
    assert result.exit_code == 1
    assert "2 event(s) older than 0 s are not sealed yet" in result.output
    assert trail.app.test_cli_runner().invoke(args=["audit-seal"]).output.strip() == \
        "Sealed 2 events; the chain head is #2."
    assert trail.verify().exit_code == 0
