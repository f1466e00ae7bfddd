"""One transaction per request, ended in one place (portal_app/transactions.py): R2 and the view rules.

A view returns normally: the request commits (whatever status it chose). An exception leaves it:
everything it flushed is rolled back, and only what the error handler records is kept. A COMMIT that
fails answers the 503 page. No view commits or rolls back itself (an AST walk over blueprints/).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event, func, orm, select
from sqlalchemy.exc import OperationalError

from portal_app import audit, create_app
from portal_app.accounts.models import User
from portal_app.audit import AuditEvent
from portal_app.authz import public
from portal_app.errors import DomainError
from portal_app.extensions import db
from portal_app.transactions import savepoint, writes_on_get
from tests.conftest import Auth

BLUEPRINTS = Path(__file__).resolve().parent.parent / "blueprints"
PROBE_ACTION = "txn.probe"


class SlotTaken(DomainError):
    """A refusal that belongs to no form field."""

    status = 409
    default_message = "That slot was just taken by someone else."


def _flush_then(outcome: str):
    """Write a row and flush it, then end as `outcome` says."""
    audit.record(PROBE_ACTION, details={"outcome": outcome})
    if outcome == "database":
        raise OperationalError("UPDATE client", {}, Exception("server closed the connection"))
    if outcome == "refused":
        raise SlotTaken
    if outcome == "crash":
        raise RuntimeError("a bug in the view")
    if outcome == "deliberate":
        return "not you", 401
    return "row written"


def _refused_in_a_form():
    """A form view: something recorded, then a service call that flushes and is refused."""
    audit.record(PROBE_ACTION, details={"step": "before the call"})
    try:
        with savepoint():
            audit.record(PROBE_ACTION, details={"step": "inside the refused call"})
            raise SlotTaken
    except SlotTaken as err:
        return str(err), 422


@pytest.fixture
def txn_app(_db, database_url) -> Flask:
    """The application plus one public route that flushes a row and then returns or raises.

    Like tests/extra_apps.probe_app it shares the rolled-back test connection, and each of its
    requests closes the test session: what a request did not commit is gone afterwards.
    """
    _db.commit()
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url, "PROPAGATE_EXCEPTIONS": False})
    app.add_url_rule("/_txn/<outcome>", "txn_probe", public(writes_on_get(_flush_then)))
    app.add_url_rule("/_txn-form", "txn_form", public(writes_on_get(_refused_in_a_form)))
    return app


def _probe_rows() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == PROBE_ACTION))


def test_a_view_that_returns_normally_is_committed(txn_app):
    assert txn_app.test_client().get("/_txn/ok").status_code == 200
    assert _probe_rows() == 1


def test_a_status_the_view_chose_is_committed_too(txn_app):
    """A 401 or 422 the view answered on purpose keeps what it wrote (a failed sign-in's count)."""
    assert txn_app.test_client().get("/_txn/deliberate").status_code == 401
    assert _probe_rows() == 1


@pytest.mark.parametrize("outcome, status", [("database", 503), ("crash", 500), ("refused", 409)])
def test_a_view_raising_after_flushing_leaves_no_row(txn_app, outcome, status):
    """R2: whatever escapes the view, nothing it flushed is kept, though the error page's request commits."""
    resp = txn_app.test_client().get(f"/_txn/{outcome}")
    assert resp.status_code == status
    assert _probe_rows() == 0


def test_a_refused_call_in_a_savepoint_leaves_nothing_but_the_rest_is_committed(txn_app):
    """place_refusal no longer rolls back: the savepoint around the service call undoes only that call."""
    resp = txn_app.test_client().get("/_txn-form")
    assert resp.status_code == 422 and SlotTaken.default_message in resp.get_data(as_text=True)
    details = db.session.scalars(select(AuditEvent.details).where(AuditEvent.action == PROBE_ACTION)).all()
    assert details == ['{"step": "before the call"}']


def test_a_domain_error_escaping_a_view_answers_its_status_and_sentence(txn_app):
    resp = txn_app.test_client().get("/_txn/refused")
    assert resp.status_code == 409
    assert SlotTaken.default_message in resp.get_data(as_text=True)
    assert "Content-Security-Policy" in resp.headers


def test_a_failed_commit_answers_503_and_saves_nothing(txn_app):
    """The COMMIT itself fails (the server went away): the 503 page, never a 500 or the page."""
    failures = []

    def refuse_commit(session) -> None:
        if not failures:
            failures.append(True)
            raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    event.listen(orm.Session, "before_commit", refuse_commit)
    try:
        resp = txn_app.test_client().get("/_txn/ok")
    finally:
        event.remove(orm.Session, "before_commit", refuse_commit)
    assert failures
    assert resp.status_code == 503
    body = resp.get_data(as_text=True)
    assert "row written" not in body and "Nothing you sent was saved" in body
    assert "Content-Security-Policy" in resp.headers
    assert _probe_rows() == 0


def test_a_failed_sign_in_keeps_its_failure_count_and_audit_event(client, case_manager):
    """The 401 is the view's answer, not an error: the request commits the count (S2) and the event (S13)."""
    resp = Auth(client).login(case_manager, password="not the password at all")
    assert resp.status_code == 401
    db.session.expire_all()
    assert db.session.get(User, case_manager.id).failed_logins == 1
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("%login_failed"))).all()
    assert actions


def _commits_and_rollbacks(path: Path, root: Path = BLUEPRINTS.parent) -> list[str]:
    """Calls of `<anything>.commit()` or `<anything>.rollback()` in one module, as `file:line`."""
    tree = ast.parse(path.read_text(), str(path))
    return [
        f"{path.relative_to(root)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("commit", "rollback")
    ]


def test_no_view_commits_or_rolls_back():
    """The request's transaction ends in one place; a refused service call uses `with savepoint():`."""
    modules = sorted(BLUEPRINTS.rglob("*.py"))
    assert len(modules) > 10
    found = [site for module in modules for site in _commits_and_rollbacks(module)]
    assert found == []


def test_domain_code_never_commits_the_worker_and_cli_do():
    """Services and batch functions flush; the worker (`portal_app/worker.py`) and CLI own their transactions."""
    owners = {"worker.py", "cli.py", "transactions.py", "demo.py"}
    domain = BLUEPRINTS.parent / "portal_app"
    modules = sorted(p for p in domain.rglob("*.py") if p.relative_to(domain).as_posix() not in owners)
    assert [site for module in modules for site in _commits_and_rollbacks(module)] == []


def test_the_walk_finds_a_commit(tmp_path):
    """The walk above would see one (so its empty answer means something)."""
    module = tmp_path / "view.py"
    module.write_text("from portal_app.extensions import db\n\ndef v():\n    db.session.commit()\n")
    assert _commits_and_rollbacks(module, tmp_path) == ["view.py:4"]
