"""What one request costs at demo size, and where the time goes (issue 8 item 8; README "What a request costs").

The demo network in a scratch database, the test client signed in through the real forms, one request
at a time: total time per page, the part spent in SQL (cursor execute to fetch), the number of
queries, and the rest (routing, session cookie, authorization, templates, compression). `/healthz`
is the floor: Flask and our before/after-request hooks with no page behind them.
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import event

from portal_app import create_app
from portal_app.demo import DEMO_PASSWORD, load_demo
from portal_app.extensions import db
from tests.scratch_databases import scratch_database

PAGES = [("public", "/healthz"), ("public", "/portal/login"), ("staff", "/staff/"), ("staff", "/staff/clients"),
         ("portal", "/portal/"), ("portal", "/portal/messages")]
REPEAT = 200
CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture(autouse=True)
def _db():
    """No rolled-back test transaction here: this module's own app commits into its scratch database."""
    yield None


@pytest.fixture
def demo_app(tmp_path) -> Iterator:
    with scratch_database(tmp_path, "cost") as url:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                                  "FILES_DIR": str(tmp_path / "files"), "MAIL_OUTBOX_DIR": str(tmp_path / "outbox")})
        with app.app_context():
            db.create_all()
            load_demo()
            db.session.commit()
            db.session.remove()
        yield app
        with app.app_context():
            db.engine.dispose()


def _signed_in(app, site: str, login: str):
    client = app.test_client()
    token = CSRF_RE.search(client.get(f"/{site}/login").get_data(as_text=True)).group(1)
    field = "username" if site == "portal" else "email"
    assert client.post(f"/{site}/login", data={field: login, "password": DEMO_PASSWORD,
                                                "csrf_token": token}).status_code == 302
    return client


def test_report_request_cost(demo_app, capsys):
    clients = {"public": demo_app.test_client(), "staff": _signed_in(demo_app, "staff", "casey@riverside.example"),
               "portal": _signed_in(demo_app, "portal", "maria")}
    sql = {"n": 0, "s": 0.0, "t0": 0.0}
    with demo_app.app_context():
        engine = db.engine

    def before(*_args):
        sql["t0"] = time.perf_counter()

    def after(*_args):
        sql["n"] += 1
        sql["s"] += time.perf_counter() - sql["t0"]

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    rows = []
    try:
        for who, url in PAGES:
            client = clients[who]
            for _ in range(10):
                assert client.get(url).status_code == 200, url
            sql.update(n=0, s=0.0)
            started = time.perf_counter()
            for _ in range(REPEAT):
                client.get(url, headers={"Accept-Encoding": "br, gzip"})
            total = (time.perf_counter() - started) / REPEAT * 1000
            rows.append((url, total, sql["s"] / REPEAT * 1000, sql["n"] / REPEAT))
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    with capsys.disabled():
        print(f"\n{'page':<18} {'ms/request':>10} {'SQL ms':>7} {'queries':>8} {'other ms':>9}")
        for url, total, in_sql, queries in rows:
            print(f"{url:<18} {total:>10.2f} {in_sql:>7.2f} {queries:>8.1f} {total - in_sql:>9.2f}")
