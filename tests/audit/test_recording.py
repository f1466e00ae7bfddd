"""Recording audit events (S13): an INSERT with an HMAC, no lock on the request path, the key's origin."""
from __future__ import annotations

import json
import threading
import time

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import OperationalError

from portal_app import audit, create_app, transactions
from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.clients.models import PRIMARY_CASE_MANAGER
from tests import extra_apps
from tests.factories import clients as client_factories
from tests.conftest import Auth


@pytest.fixture
def events(_db):
    """Five committed events (committed into the test's outer transaction, rolled back after)."""
    made = [audit.record("test.event", object_type="Thing", object_id=n, details={"n": n}) for n in range(5)]
    _db.commit()
    _db.expunge_all()
    return [ev.id for ev in made]


def test_a_recorded_event_carries_an_hmac_and_waits_for_its_seal(events):
    rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [ev.id for ev in rows] == events
    assert all(ev.mac == ev.compute_mac() and ev.seq is None and ev.chain_hash is None for ev in rows)
    assert all(ev.mac != ev.compute_mac(b"another key of at least thirty-two chars") for ev in rows)
    assert len({ev.mac for ev in rows}) == len(rows)


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


def test_a_view_whose_audit_event_cannot_be_stored_shows_nothing(client, auth, case_manager):
    """The page's audit event is written before the response leaves; if it fails: 503, no client data."""
    patient = client_factories.client(case_manager.organization, first_name="Zelda", last_name="Quartz",
                                      care_team=((case_manager, PRIMARY_CASE_MANAGER),))
    auth.login(case_manager)

    def refuse_audit_rows(conn, cursor, statement, *_):
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_EVENT"):
            raise OperationalError(statement, {}, Exception("database is locked"))

    engine = db.session.get_bind().engine
    event.listen(engine, "before_cursor_execute", refuse_audit_rows)
    try:
        resp = client.get(f"/staff/clients/{patient.id}")
    finally:
        event.remove(engine, "before_cursor_execute", refuse_audit_rows)
    assert resp.status_code == 503
    assert "Quartz" not in resp.get_data(as_text=True)
    assert "Content-Security-Policy" in resp.headers


def test_two_transactions_record_without_waiting_for_each_other(trail):
    """No lock on the request path. PostgreSQL: a second writer records and commits while the first
    is still open. SQLite has one writer: a read-only request (a GET rendering a page) holds no lock
    while it renders, and a writer that must wait waits (BEGIN IMMEDIATE + busy_timeout), never fails."""
    postgres = trail.engine.dialect.name == "postgresql"
    first_recorded, first_may_commit, outcome = threading.Event(), threading.Event(), {}

    def first_writer() -> None:
        with trail.app.app_context():
            audit.record("first.writer")
            first_recorded.set()
            first_may_commit.wait(timeout=10)
            time.sleep(0 if postgres else 0.5)  # SQLite: the second writer meanwhile waits for the lock
            db.session.commit()
            db.session.remove()

    thread = threading.Thread(target=first_writer)
    thread.start()
    assert first_recorded.wait(timeout=10)
    if postgres:
        db.session.execute(text("SET LOCAL lock_timeout = '2s'"))
        started = time.monotonic()
        audit.record("second.writer")
        db.session.commit()
        outcome["second_took"] = time.monotonic() - started
        first_may_commit.set()
    else:
        first_may_commit.set()
        audit.record("second.writer")  # BEGIN IMMEDIATE waits for the first writer's commit
        db.session.commit()
    thread.join(timeout=10)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert actions == {"first.writer", "second.writer"}
    if postgres:
        assert outcome["second_took"] < 1.0


def test_a_get_request_records_without_holding_the_write_lock_while_rendering(trail):
    """While a GET that recorded a view renders, another transaction records and commits at once."""
    with trail.app.test_request_context("/staff/clients/1", method="GET"):
        assert transactions.read_only_request()
        db.session.scalar(select(AuditEvent.id).limit(1))  # the request's read transaction is open
        kept = audit.record("client.viewed")
        assert kept.id is None  # kept aside, not yet written
        took = []

        def other_writer() -> None:
            with trail.app.app_context():
                started = time.monotonic()
                audit.record("other.writer")
                db.session.commit()
                took.append(time.monotonic() - started)
                db.session.remove()

        writer = threading.Thread(target=other_writer)
        writer.start()
        writer.join(timeout=10)
        assert took and took[0] < 1.0
        response = transactions.end_request(trail.app.response_class("page"))
        assert response.status_code == 200
    assert set(db.session.scalars(select(AuditEvent.action))) == {"client.viewed", "other.writer"}


def test_development_makes_a_key_once_and_keeps_it(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEPORT_INSTANCE", str(tmp_path))
    monkeypatch.delenv("AUDIT_HMAC_KEY", raising=False)
    overrides = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "AUDIT_HMAC_KEY": None}
    first = create_app("development", overrides).config["AUDIT_HMAC_KEY"]
    second = create_app("development", overrides).config["AUDIT_HMAC_KEY"]
    key_file = tmp_path / "audit-hmac.key"
    assert first == second == key_file.read_text().strip() and len(first) >= 32
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("key", [None, "short", "a-long-random-production-secret-0123456789abcdef"],
                         ids=["missing", "short", "same-as-secret"])
def test_production_refuses_a_missing_or_weak_audit_key(monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-0123456789abcdef")
    if key is None:
        monkeypatch.delenv("AUDIT_HMAC_KEY", raising=False)
    else:
        monkeypatch.setenv("AUDIT_HMAC_KEY", key)
    with pytest.raises(RuntimeError, match="AUDIT_HMAC_KEY"):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
