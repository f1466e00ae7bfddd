"""Liveness and readiness probes for the load balancer."""
from __future__ import annotations

from tests import extra_apps


def test_healthz(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json == {"status": "ok"}


def test_readyz_with_a_working_database(client):
    resp = client.get("/readyz")
    assert resp.status_code == 200
    assert resp.json == {"status": "ok", "database": "ok"}


def test_readyz_with_an_unreachable_database(monkeypatch):
    down = extra_apps.unreachable_database_app()
    extra_apps.real_session(monkeypatch)
    resp = down.test_client().get("/readyz")
    assert resp.status_code == 503
    assert resp.json == {"status": "unavailable", "database": "unreachable"}
    assert down.test_client().get("/healthz").status_code == 200  # the process itself is fine


def _read_only_url(database_url: str, tmp_path) -> str:
    """The test database opened read-only: SQLite in mode=ro, PostgreSQL with read-only transactions."""
    if database_url.startswith("postgresql"):
        sep = "&" if "?" in database_url else "?"
        return f"{database_url}{sep}options=-c%20default_transaction_read_only%3Don"
    path = tmp_path / "read-only.sqlite3"
    from portal_app import create_app
    from portal_app.extensions import db

    writable = create_app("test", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with writable.app_context():
        db.create_all()
        db.engine.dispose()
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def test_readyz_when_the_database_refuses_writes(database_url, tmp_path, monkeypatch):
    """Reachable but read-only (a read-only file, a standby): every signed-in page would fail, so not ready."""
    from portal_app import create_app

    from portal_app.extensions import db

    read_only = create_app("test", {"SQLALCHEMY_DATABASE_URI": _read_only_url(database_url, tmp_path)})
    extra_apps.real_session(monkeypatch)
    try:
        resp = read_only.test_client().get("/readyz")
    finally:
        with read_only.app_context():
            db.session.remove()
            db.engine.dispose()  # close its connections now, not when collected (ResourceWarning)
    assert resp.status_code == 503
    assert resp.json == {"status": "unavailable", "database": "read-only"}
