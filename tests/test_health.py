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
