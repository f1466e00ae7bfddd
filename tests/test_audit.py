"""The audit trail (S13): append-only, hash-chained, verified by `flask audit-verify`."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from portal_app import audit
from portal_app.audit import GENESIS, AuditEvent
from portal_app.extensions import db
from tests import extra_apps
from tests.conftest import Auth


@pytest.fixture
def events(_db):
    """Five committed events (committed into the test's outer transaction, rolled back after)."""
    made = [audit.record("test.event", object_type="Thing", object_id=n, details={"n": n}) for n in range(5)]
    ids = [ev.id for ev in made]
    _db.commit()
    _db.expunge_all()
    return ids


def verify(app):
    """Run `flask audit-verify`; the chain is read fresh from the database."""
    db.session.expire_all()
    return app.test_cli_runner().invoke(args=["audit-verify"])


def test_each_event_links_to_the_one_before(events):
    rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [ev.id for ev in rows] == events
    assert rows[0].prev_hash == GENESIS
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
    assert all(ev.hash == ev.compute_hash() for ev in rows)
    assert len({ev.hash for ev in rows}) == len(rows)


def test_verify_reports_an_intact_chain(app, events):
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert f"Audit chain intact: {len(events)} events verified" in result.output


@pytest.mark.parametrize("column", ["action", "details", "ip"])
def test_verify_names_an_altered_event(app, events, column):
    target = events[2]
    db.session.execute(text(f"UPDATE audit_event SET {column}='x' WHERE id=:id"), {"id": target})
    result = verify(app)
    assert result.exit_code == 1
    assert f"BROKEN at event {target}" in result.output
    assert "does not match its hash" in result.output


def test_verify_detects_a_deleted_event(app, events):
    db.session.execute(text("DELETE FROM audit_event WHERE id=:id"), {"id": events[2]})
    result = verify(app)
    assert result.exit_code == 1
    assert f"BROKEN at event {events[3]}" in result.output
    assert "link to the previous event is broken" in result.output


def test_verify_detects_a_rewritten_chain_tail(app, events):
    """Recomputing the altered row's own hash is not enough: the next link breaks."""
    ev = db.session.get(AuditEvent, events[1])
    ev.action = "x"
    forged = ev.compute_hash()
    db.session.expunge(ev)
    db.session.execute(text("UPDATE audit_event SET action='x', hash=:h WHERE id=:id"), {"h": forged, "id": events[1]})
    result = verify(app)
    assert result.exit_code == 1
    assert f"BROKEN at event {events[2]}" in result.output


@pytest.mark.parametrize("change", ["update", "delete"])
def test_the_orm_refuses_to_change_an_event(events, change):
    ev = db.session.get(AuditEvent, events[0])
    if change == "update":
        ev.action = "rewritten"
    else:
        db.session.delete(ev)
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEvent, events[0]).action == "test.event"


def test_forbidden_request_is_audited(_db, database_url, supervisor):
    """A signed-in person refused by authorization leaves an "authz.denied" event."""
    _db.commit()  # the probe app's requests close the test session (see tests/extra_apps.py)
    client = extra_apps.probe_app(database_url).test_client()
    assert Auth(client).login(supervisor).status_code == 302
    assert client.get("/staff/_probe/admin-only").status_code == 403
    denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "authz.denied")).one()
    assert (denied.actor_id, denied.site) == (supervisor.id, "staff")
    assert json.loads(denied.details) == {"endpoint": "probe_staff_admin_only"}
