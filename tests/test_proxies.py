"""Behind a load balancer (TRUSTED_PROXIES): throttles and the audit trail count each person's address."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app import create_app
from portal_app.audit import AuditEvent
from portal_app.extensions import db
from tests.conftest import csrf_token

BALANCER = "10.0.0.2"


@pytest.fixture
def behind_balancer(database_url):
    """The application as deployed behind one proxy, sign-ins limited to 3 a minute per address."""
    return create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url, "TRUSTED_PROXIES": 1,
                               "LOGIN_RATE_LIMIT": "3 per minute"})


def failed_sign_in(http, person: str, n: int):
    """A wrong sign-in from `person`'s address, through the balancer (a fresh email: only the IP limit applies)."""
    token = csrf_token(http, "/staff/login")
    return http.post("/staff/login", environ_overrides={"REMOTE_ADDR": BALANCER},
                     headers={"X-Forwarded-For": person},
                     data={"email": f"nobody{n}@example.test", "password": "x" * 12, "csrf_token": token})


def test_each_person_behind_the_balancer_has_their_own_sign_in_throttle(_db, behind_balancer):
    _db.commit()  # this app's requests close the test session (see tests/extra_apps.py)
    http = behind_balancer.test_client()
    assert [failed_sign_in(http, "203.0.113.7", n).status_code for n in range(4)] == [401, 401, 401, 429]
    assert failed_sign_in(http, "198.51.100.9", 9).status_code == 401  # someone else, same balancer
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).all()
    assert {e.ip for e in events} == {"203.0.113.7", "198.51.100.9"}


def test_without_trusted_proxies_a_forwarded_address_is_ignored(client, app):
    """X-Forwarded-For from a client that reaches gunicorn directly could be forged: not believed."""
    assert app.config["TRUSTED_PROXIES"] == 0
    token = csrf_token(client, "/staff/login")
    client.post("/staff/login", headers={"X-Forwarded-For": "203.0.113.7"},
                data={"email": "nobody@example.test", "password": "x" * 12, "csrf_token": token})
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).one()
    assert event.ip == "127.0.0.1"
