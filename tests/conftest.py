"""Fixtures: the app, a database transaction rolled back after each test, clients, sign-in helpers."""
from __future__ import annotations

import itertools
import os
import re

import pytest
from flask import g
from sqlalchemy import orm

from portal_app import create_app
from portal_app.extensions import db, limiter
from tests import factories

DEMO_PASSWORD = "correct horse battery staple"
IN_CI = os.environ.get("CI") == "true"
_test_numbers = itertools.count()


def pytest_configure(config):
    os.environ.setdefault("CASEPORT_ENV", "test")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        "test", {"SQLALCHEMY_DATABASE_URI": database_url, "MAIL_OUTBOX_DIR": str(instance / "outbox"),
                 "FILES_DIR": str(instance / "files"), "_CHECKPOINTS_ROOT": instance / "audit-checkpoints"}
    )

    def _fresh_g():
        # Tests hold one app context across requests; a real request starts with an empty g.
        g.__dict__.clear()

    # Before every other hook: Flask-Login, Flask-WTF and Flask-Babel cache the user, the CSRF
    # token and the locale in g, and a stale one from the previous request would leak across sites.
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_g)

    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def own_database():
    """For a test whose servers, threads or worker passes commit for real into a scratch database of their own
    (see tests/browser/conftest.py `seeded_server`): the autouse `_db` below then leaves `db.session` alone."""
    yield None


@pytest.fixture(autouse=True)
def _db(request, app):
    """Each test runs in a transaction that is rolled back, whatever it committed."""
    if {"live_server", "own_database"} & set(request.fixturenames):
        yield None
        return
    # Checkpoints of the audit chain live in files, which no rollback undoes: one folder per test.
    app.config["AUDIT_CHECKPOINT_DIR"] = str(app.config["_CHECKPOINTS_ROOT"] / f"t{next(_test_numbers)}")
    ctx = app.app_context()
    ctx.push()
    connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = orm.scoped_session(
        orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False),
        scopefunc=lambda: 0,
    )
    limiter.reset()
    try:
        yield db.session
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()
        ctx.pop()


@pytest.fixture
def client(app):
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    """The CSRF token printed in the form at `url`."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token in {url}"
    return match.group(1) or match.group(2)


class Auth:
    """Sign-in helpers for each site, through the real sign-in forms."""

    def __init__(self, client):
        self.client = client

    def login(self, user, password: str = DEMO_PASSWORD, site: str | None = None):
        site = site or user.site
        url = f"/{site}/login"
        token = csrf_token(self.client, url)
        return self.client.post(url, data={"email": user.email, "password": password, "csrf_token": token})

    def logout(self, site: str = "staff"):
        token = csrf_token(self.client, f"/{site}/")
        return self.client.post(f"/{site}/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def agency():
    return factories.agency()


@pytest.fixture
def partner_org(agency):
    """A partner organization managed by `agency` and working with it."""
    return factories.partner_organization(agency=agency)


@pytest.fixture
def admin(agency):
    return factories.user(agency, role="admin", email="admin@agency.test")


@pytest.fixture
def supervisor(agency):
    return factories.user(agency, role="supervisor", email="super@agency.test")


@pytest.fixture
def case_manager(agency):
    return factories.user(agency, role="case_manager", email="casey@agency.test")


@pytest.fixture
def partner_user(partner_org):
    return factories.user(partner_org, role="partner", email="pat@partner.test")


@pytest.fixture
def people(admin, supervisor, case_manager, partner_user):
    """One person of each role, keyed by role name."""
    return {"admin": admin, "supervisor": supervisor, "case_manager": case_manager, "partner": partner_user}


@pytest.fixture
def frozen_clock():
    """Freeze the application clock at a fixed instant; `frozen_clock.advance(timedelta)` moves it."""
    from datetime import UTC, datetime

    from portal_app import clock

    clock.freeze(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    yield clock
    clock.freeze(None)
