"""Two people book the same slot of one staff member at the same moment (issue 12): exactly one appointment,
and the other person gets 409 with the clear message. Against a real server (gunicorn, 2 worker processes x 4
threads) on a scratch database of the current backend, SQLite or PostgreSQL, as tests/test_concurrency.py."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal_app import create_app
from portal_app.appointments import availability
from portal_app.appointments.models import Appointment
from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.timefmt import to_local
from tests import factories
from tests.scratch_databases import scratch_database
from tests.test_concurrency import ROOT, Browser, _free_port, _stop, _wait_until_up

ROUNDS = 4  # slots raced for, one after the other


@pytest.fixture
def live_server(tmp_path) -> Iterator[dict]:
    """The server on a scratch database with two case managers who book, one staff member who works every day
    from 8:00 to 20:00, and one client. Named live_server: conftest opens no rolled-back transaction."""
    with scratch_database(tmp_path, "booking") as url:
        settings = {"MAIL_OUTBOX_DIR": str(tmp_path / "outbox"), "FILES_DIR": str(tmp_path / "files"),
                    "AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints"),
                    "LOGIN_RATE_LIMIT": "10000 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "10000 per minute"}
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, **settings})
        with app.app_context():
            db.create_all()
            agency = factories.agency("Riverside Booking")
            bookers = [factories.user(agency, email=f"booker{i}@riverside.test") for i in range(2)]
            staff = factories.user(agency, email="busy@riverside.test")
            availability.set_weekly_hours(bookers[0], staff, {d: availability.parse_ranges("8:00-20:00")
                                                              for d in range(7)})
            person = factories.client(agency, first_name="Jamie", last_name="Race")
            db.session.commit()
            world = {"bookers": [b.email for b in bookers], "staff_id": staff.id, "client_id": person.id}
            db.session.remove()
            db.engine.dispose()
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "DATABASE_URL", "FLASK_", "AUDIT_"))}
        env.update(settings, CASEPORT_ENV="test", TEST_DATABASE_URL=url, FLASK_APP="wsgi.py")
        log = (tmp_path / "server.log").open("w")
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                                   "--threads", "4", "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            _wait_until_up(f"http://127.0.0.1:{port}", server)
            yield {**world, "url": f"http://127.0.0.1:{port}", "app": app}
        finally:
            _stop(server)
            log.close()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def _book_at_once(barrier: threading.Barrier, browser: Browser, page: str, data: dict, answers: list, n: int) -> None:
    """Wait for the other booker, then post the same slot."""
    barrier.wait()
    answers[n] = browser.open("POST", page, data)


def test_one_slot_booked_twice_at_once_gives_one_appointment_and_one_409(live_server):
    world, log = live_server, []
    browsers = [Browser(world["url"], log) for _ in world["bookers"]]
    for browser, email in zip(browsers, world["bookers"], strict=True):
        assert browser.sign_in("staff", email) == 302
    page = f"/staff/clients/{world['client_id']}/appointments/new"
    with world["app"].app_context():
        tomorrow = to_local(utcnow() + timedelta(days=1)).date()
    outcomes: list[list[tuple[int, str]]] = []
    for k in range(ROUNDS):
        tokens = [b.form(page)[0] for b in browsers]
        start = f"{tomorrow.isoformat()}T{9 + k:02d}:00"
        barrier, answers = threading.Barrier(len(browsers)), [None] * len(browsers)
        data = [{"csrf_token": token, "staff_id": str(world["staff_id"]), "starts_at": start, "minutes": "60",
                 "mode": "in_person", "place": "", "notes": ""} for token in tokens]
        threads = [threading.Thread(target=_book_at_once, args=(barrier, browsers[n], page, data[n], answers, n))
                   for n in range(len(browsers))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        outcomes.append(answers)
    for answers in outcomes:
        statuses = sorted(status for status, _ in answers)
        assert statuses == [302, 409], statuses
        refused = next(text for status, text in answers if status == 409)
        assert "already has an appointment from" in refused and "nothing was booked" in refused
    with world["app"].app_context():
        assert db.session.scalar(select(func.count(Appointment.id))) == ROUNDS
        starts = db.session.scalars(select(Appointment.starts_at)).all()
        assert len(set(starts)) == ROUNDS
