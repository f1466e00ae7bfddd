"""16 people at once against a real server (issue 8, R2, S13): no 5xx, nothing lost or doubled.

The server runs as `make run` starts it (gunicorn, 2 workers x 4 threads, and the outbox worker
that seals the audit trail) on a scratch database of the current backend (a SQLite file, or a
PostgreSQL database), loopback only. Sixteen threads sign in and then, in a bounded number of
rounds, open audited client pages, reply in conversations (portal and staff), edit clients and
sign in and out. Separate processes, as in production: threads of the test's own process would
compete with the server's for one interpreter lock.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener, urlopen

import pytest
from sqlalchemy import func, select

from portal_app import create_app
from portal_app.extensions import db
from tests import factories
from tests.conftest import CSRF_RE, DEMO_PASSWORD
from tests.scratch_databases import scratch_database

VIEWERS, EDITORS, PORTAL_REPLIERS, STAFF_REPLIERS, SIGN_INS = 6, 2, 4, 2, 2
THREADS = VIEWERS + EDITORS + PORTAL_REPLIERS + STAFF_REPLIERS + SIGN_INS
ROUNDS = 5
TIMEOUT = 30  # seconds per request; the whole test is bounded by THREADS x ROUNDS requests
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class World:
    url: str
    app: object
    viewers: list[str] = field(default_factory=list)  # supervisor emails
    signers: list[str] = field(default_factory=list)  # case manager emails (signing out ends their sessions)
    editors: list[tuple[str, int]] = field(default_factory=list)  # supervisor email, own client id
    portal: list[tuple[str, int]] = field(default_factory=list)  # username, conversation id
    staff_repliers: list[tuple[str, int]] = field(default_factory=list)  # case manager email, conversation id
    viewed_client: int = 0
    log: Path | None = None  # the server's and worker's output


def _seed(world: World) -> None:
    from portal_app.clients.models import PRIMARY_CASE_MANAGER, CareTeamMember, Client
    from portal_app.messaging import services as messaging
    from portal_app.portal_access.models import ClientAccess, PortalAccount, Relationship

    agency = factories.agency("Riverside County Probation")
    manager = factories.user(agency, role="case_manager", email="casey@riverside.test", perm_messaging=True)
    world.viewers = [factories.user(agency, role="supervisor", email=f"viewer{i}@riverside.test").email
                     for i in range(VIEWERS)]
    world.signers = [factories.user(agency, email=f"signer{i}@riverside.test").email for i in range(SIGN_INS)]
    viewed = Client(organization=agency, first_name="Jamie", last_name="Fields")
    viewed.care_team.append(CareTeamMember(user=manager, role=PRIMARY_CASE_MANAGER))
    db.session.add(viewed)
    for i in range(EDITORS):
        editor = factories.user(agency, role="supervisor", email=f"editor{i}@riverside.test")
        own = Client(organization=agency, first_name=f"Edit{i}", last_name="Target")
        db.session.add(own)
        db.session.flush()
        world.editors.append((editor.email, own.id))
    for i in range(PORTAL_REPLIERS):
        person = Client(organization=agency, first_name=f"Portal{i}", last_name="Client")
        person.care_team.append(CareTeamMember(user=manager, role=PRIMARY_CASE_MANAGER))
        account = PortalAccount(username=f"client{i}", email=f"client{i}@family.test",
                                password_hash=factories._hash(DEMO_PASSWORD))
        db.session.add_all([person, account, ClientAccess(account=account, client=person,
                                                          relationship_kind=Relationship.SELF)])
        db.session.flush()
        conversation = messaging.start_conversation(manager, person, subject="Hello", body_html="<p>Hi</p>",
                                                    account_ids=None)
        world.portal.append((account.username, conversation.id))
    for i in range(STAFF_REPLIERS):  # the case manager answers in the first conversations, beside the client
        world.staff_repliers.append((manager.email, world.portal[i % PORTAL_REPLIERS][1]))
    db.session.commit()
    world.viewed_client = viewed.id


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urlopen(f"{url}/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def live_server(tmp_path) -> Iterator[World]:
    """What `make run` starts, on a scratch database of the current backend: gunicorn (2 workers x 4
    threads) on 127.0.0.1 and the outbox worker, which seals the audit trail. The fixture's name tells
    tests/conftest.py to open no rolled-back transaction: everything here commits for real."""
    with scratch_database(tmp_path, "concurrency") as url:
        settings = {"MAIL_OUTBOX_DIR": str(tmp_path / "outbox"), "FILES_DIR": str(tmp_path / "files"),
                    "AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints"),
                    # Every thread signs in from 127.0.0.1: the per-address throttle (S2) is not under test.
                    "LOGIN_RATE_LIMIT": "10000 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "10000 per minute"}
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, **settings})
        port = _free_port()
        world = World(url=f"http://127.0.0.1:{port}", app=app)
        with app.app_context():
            db.create_all()
            _seed(world)
            db.session.remove()
            db.engine.dispose()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "DATABASE_URL", "FLASK_", "AUDIT_"))}
        env.update(settings, CASEPORT_ENV="test", TEST_DATABASE_URL=url, FLASK_APP="wsgi.py")
        log = (tmp_path / "server.log").open("w")
        run = {"cwd": ROOT, "env": env, "stdout": log, "stderr": log}
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
                                   "--workers", "2", "--threads", "4", "wsgi:app"], **run)
        worker = subprocess.Popen([sys.executable, "-m", "flask", "outbox-worker", "--interval", "0.5"], **run)
        world.log = tmp_path / "server.log"
        try:
            _wait_until_up(world.url, server)
            yield world
        finally:
            _stop(server)
            _stop(worker)
            log.close()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's cookies; records the status of every response."""

    def __init__(self, base: str, log: list[tuple[str, str, int]]) -> None:
        self.base, self.log = base, log
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirect)

    def open(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(Request(self.base + path, data=body, method=method), timeout=TIMEOUT) as resp:
                status, text = resp.status, resp.read().decode()
        except HTTPError as err:
            status, text = err.code, err.read().decode()
        self.log.append((method, path, status))
        return status, text

    def form(self, path: str) -> tuple[str, str]:
        """GET a page with a form: the CSRF token and the HTML."""
        status, html = self.open("GET", path)
        match = CSRF_RE.search(html)
        assert match, f"no form on {path} ({status})"
        return match.group(1) or match.group(2), html

    def sign_in(self, site: str, login: str) -> int:
        token, _ = self.form(f"/{site}/login")
        name = "username" if site == "portal" else "email"
        return self.open("POST", f"/{site}/login", {name: login, "password": DEMO_PASSWORD, "csrf_token": token})[0]


@dataclass
class Tally:
    """What the threads did and saw, added up under one lock."""

    log: list[tuple[str, str, int]] = field(default_factory=list)
    views: int = 0
    sign_ins: int = 0
    replies: list[str] = field(default_factory=list)
    last_phone: dict[int, str] = field(default_factory=dict)
    edits: int = 0
    errors: list[BaseException] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **counts) -> None:
        with self.lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


def _viewer(world: World, tally: Tally, n: int) -> None:
    browser = Browser(world.url, tally.log)
    assert browser.sign_in("staff", world.viewers[n]) == 302
    tally.add(sign_ins=1)
    for _ in range(ROUNDS):
        for page in ("", "/log"):
            if browser.open("GET", f"/staff/clients/{world.viewed_client}{page}")[0] == 200:
                tally.add(views=1)


def _editor(world: World, tally: Tally, n: int) -> None:
    email, client_id = world.editors[n]
    browser = Browser(world.url, tally.log)
    assert browser.sign_in("staff", email) == 302
    tally.add(sign_ins=1)
    for k in range(ROUNDS):
        token, html = browser.form(f"/staff/clients/{client_id}/edit")
        tally.add(views=1)  # the edit form shows the record: an audited view
        version = re.search(r'name="version_id" type="hidden" value="(\d+)"', html).group(1)
        phone = f"(541) 555-{n}{k:03d}"
        status, _ = browser.open("POST", f"/staff/clients/{client_id}/edit", {
            "csrf_token": token, "version_id": version, "first_name": f"Edit{n}", "last_name": "Target",
            "phone": phone, "preferred_language": "en"})
        if status == 302:
            tally.add(edits=1)
            with tally.lock:
                tally.last_phone[client_id] = phone


def _portal_replier(world: World, tally: Tally, n: int) -> None:
    username, conversation_id = world.portal[n]
    browser = Browser(world.url, tally.log)
    assert browser.sign_in("portal", username) == 302
    tally.add(sign_ins=1)
    for k in range(ROUNDS):
        token, _ = browser.form(f"/portal/messages/{conversation_id}")  # reading marks it read: a write on GET
        text = f"portal-reply-{n}-{k}"
        if browser.open("POST", f"/portal/messages/{conversation_id}", {"csrf_token": token, "body": text})[0] == 302:
            with tally.lock:
                tally.replies.append(text)


def _staff_replier(world: World, tally: Tally, n: int) -> None:
    email, conversation_id = world.staff_repliers[n]
    browser = Browser(world.url, tally.log)
    assert browser.sign_in("staff", email) == 302
    tally.add(sign_ins=1)
    for k in range(ROUNDS):
        token, _ = browser.form(f"/staff/messages/{conversation_id}")
        text = f"staff-reply-{n}-{k}"
        reply = {"csrf_token": token, "body": text}
        status, _ = browser.open("POST", f"/staff/messages/{conversation_id}/reply", reply)
        if status == 302:
            with tally.lock:
                tally.replies.append(text)


def _signer(world: World, tally: Tally, n: int) -> None:
    browser = Browser(world.url, tally.log)
    for _ in range(ROUNDS):
        if browser.sign_in("staff", world.signers[n]) == 302:
            tally.add(sign_ins=1)
        token, _ = browser.form("/staff/")
        browser.open("POST", "/staff/logout", {"csrf_token": token})


def _run(world: World, tally: Tally) -> None:
    """Start all threads at once and wait for them (each does a bounded number of requests)."""
    plan = ([(_viewer, i) for i in range(VIEWERS)] + [(_editor, i) for i in range(EDITORS)]
            + [(_portal_replier, i) for i in range(PORTAL_REPLIERS)]
            + [(_staff_replier, i) for i in range(STAFF_REPLIERS)] + [(_signer, i) for i in range(SIGN_INS)])
    start = threading.Barrier(len(plan))

    def person(work, n) -> None:
        try:
            start.wait(timeout=30)
            work(world, tally, n)
        except BaseException as err:  # noqa: BLE001  (reported by the main thread)
            with tally.lock:
                tally.errors.append(err)

    threads = [threading.Thread(target=person, args=item) for item in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert not any(thread.is_alive() for thread in threads), "threads still running"


def test_sixteen_people_at_once_get_no_5xx_and_lose_nothing(live_server):
    from portal_app.audit import AuditEvent
    from portal_app.clients.models import Client
    from portal_app.messaging.models import Message

    world, tally = live_server, Tally()
    started = time.monotonic()
    _run(world, tally)
    elapsed = time.monotonic() - started

    answers = Counter((method, re.sub(r"\d+", "N", path), status) for method, path, status in tally.log)
    failures = {answer: n for answer, n in answers.items() if answer[2] >= 500}
    assert not failures, (f"5xx answers in {len(tally.log)} requests ({elapsed:.1f} s): {dict(failures)}\n"
                          + world.log.read_text()[-3000:])
    assert tally.errors == []
    assert len(tally.log) > THREADS * ROUNDS * 2
    with world.app.app_context():
        counted = select(AuditEvent.action, func.count()).group_by(AuditEvent.action)
        actions = Counter(dict(db.session.execute(counted).all()))
        assert actions["client.viewed"] == tally.views == VIEWERS * ROUNDS * 2 + EDITORS * ROUNDS, answers
        assert sum(n for action, n in actions.items() if action.endswith(".login")) == tally.sign_ins
        bodies = db.session.scalars(select(Message.body_html)).all()
        assert len(tally.replies) == (PORTAL_REPLIERS + STAFF_REPLIERS) * ROUNDS
        assert {text: sum(text in body for body in bodies) for text in tally.replies} == {t: 1 for t in tally.replies}
        assert actions["client.updated"] == tally.edits == EDITORS * ROUNDS
        phones = dict(db.session.execute(select(Client.id, Client.phone).where(Client.id.in_(tally.last_phone))).all())
        assert phones == tally.last_phone
        db.session.remove()
        deadline = time.monotonic() + 20  # the worker (every 0.5 s) seals what the threads recorded
        while db.session.scalar(select(func.count()).where(AuditEvent.seq.is_(None))) and time.monotonic() < deadline:
            db.session.remove()
            time.sleep(0.2)
        db.session.remove()
        verified = world.app.test_cli_runner().invoke(args=["audit-verify"])
        assert verified.exit_code == 0, verified.output
        assert f"{sum(actions.values())} events verified ({sum(actions.values())} sealed, 0 awaiting" in verified.output
