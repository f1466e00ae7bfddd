"""Fixtures for the outbox: a real SMTP server (aiosmtpd) that tests stop and restart, separate apps."""
from __future__ import annotations

import asyncio
import socket
import threading
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import orm

from portal_app import create_app
from portal_app.extensions import db
from tests.scratch_databases import scratch_database


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message_id: str
    message: EmailMessage


class RecordingHandler:
    """aiosmtpd handler that keeps every accepted message."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.delay = 0.0  # seconds per message, to make concurrent workers overlap
        self.reply = "250 Message accepted for delivery"
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if not self.reply.startswith("250"):
            return self.reply
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), str(message["Message-ID"]), message)
            )
        return self.reply


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """A real SMTP server on 127.0.0.1 that keeps its port and its mailbox across stop/start."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    def start(self) -> None:
        assert self._controller is None, "already running"
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def received(self) -> list[Received]:
        return list(self.handler.received)

    def message_id_counts(self) -> Counter:
        return Counter(r.message_id for r in self.handler.received)


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_app(app, smtp_server, monkeypatch):
    """The test app delivering to the local SMTP server."""
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_server.port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", None)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
    return app


@pytest.fixture
def file_app(app, tmp_path, monkeypatch):
    """The test app writing .eml files into a fresh folder (created by the backend)."""
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    return app


@pytest.fixture
def make_separate_app(database_url, tmp_path, monkeypatch):
    """Build apps on their own databases, with committed rows and a session per thread.

    The per-test rolled-back transaction of tests/conftest.py binds `db.session` to one
    connection; workers in threads need their own sessions against committed rows, so this
    swaps in a thread-scoped session for the test (monkeypatch restores it).
    """
    with ExitStack() as cleanup:

        def make(url: str | None = None, **config):
            if url is None:
                url = cleanup.enter_context(scratch_database(tmp_path, "outbox", database_url))
            overrides = {"SQLALCHEMY_DATABASE_URI": url, "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"), **config}
            app = create_app("test", overrides)
            with app.app_context():
                db.create_all()
                engine = db.engine
            cleanup.callback(engine.dispose)
            monkeypatch.setattr(
                db, "session", orm.scoped_session(orm.sessionmaker(bind=engine), scopefunc=threading.get_ident)
            )
            return app

        yield make
        db.session.remove()
