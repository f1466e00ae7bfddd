"""The scratch database and the gunicorn processes of the load benchmark."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parents[3]
# Exactly the serving flags of `make run` (Makefile).
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
GUNICORN_FLAGS = ["--workers", "2", "--threads", "4", "--access-logformat", ACCESS_LOG_FORMAT]


def database_url() -> tuple[str, str]:
    """DATABASE_URL when given (PostgreSQL), else a SQLite file under instance/bench/."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url, url.split(":", 1)[0].split("+", 1)[0]
    path = ROOT / "instance" / "bench" / "caseport-bench.sqlite3"
    return f"sqlite:///{path}", "sqlite"


def _reset(url: str) -> None:
    """An empty database: the SQLite file removed, or PostgreSQL's public schema recreated."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _app(url: str):
    from portal_app import create_app

    return create_app(os.environ.get("CASEPORT_ENV", "development"), {"SQLALCHEMY_DATABASE_URI": url})


def build_demo(url: str) -> dict:
    """Empty the database, run the migrations and load the demo network (as `make run` does)."""
    import flask_migrate

    from portal_app.demo import load_demo
    from portal_app.extensions import db

    started = time.perf_counter()
    _reset(url)
    app = _app(url)
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        load_demo()
        db.session.commit()
        db.engine.dispose()
    return {"seconds": round(time.perf_counter() - started, 1)}


def grow_to_10k(url: str) -> dict:
    """Add the issue 8 data set on top of the demo network; PostgreSQL then gathers statistics."""
    from portal_app.extensions import db
    from tests.bench.load.dataset import grow

    app = _app(url)
    with app.app_context():
        grown = grow()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        db.engine.dispose()
    return {"seconds": round(grown.seconds, 1), "rows": grown.rows}


def targets(url: str) -> dict:
    """Ids the pages need: an ordinary client, the heavy client (María), the conversations opened."""
    from portal_app.clients.models import Client
    from portal_app.demo import CLIENTS
    from portal_app.extensions import db
    from portal_app.messaging.models import Conversation

    app = _app(url)
    with app.app_context():
        def client(first: str, last: str) -> int:
            return db.session.scalar(select(Client.id).where(Client.first_name == first, Client.last_name == last)
                                     .order_by(Client.id).limit(1))

        def latest_conversation(client_id: int) -> int:
            return db.session.scalar(select(Conversation.id).where(Conversation.client_id == client_id)
                                     .order_by(Conversation.last_message_at.desc(), Conversation.id.desc()).limit(1))

        maria = client(CLIENTS[0][0], CLIENTS[0][2])
        sam = client(CLIENTS[10][0], CLIENTS[10][2])
        found = {"big": maria, "sam": sam, "ordinary": client(CLIENTS[2][0], CLIENTS[2][2]),
                 "staff_conversation": latest_conversation(maria), "self_conversation": latest_conversation(maria),
                 "guardian_conversation": latest_conversation(sam)}
        db.session.remove()
        db.engine.dispose()
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """`gunicorn <app>` with the flags of `make run`, on a free port, until the block ends."""

    def __init__(self, target: str, env: dict[str, str], access_log: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.args = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", *GUNICORN_FLAGS,
                     "--access-logfile", str(access_log), target]
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), **env}  # this checkout, not the installed one
        self.proc: subprocess.Popen | None = None
        self.error_log = access_log.with_suffix(".errors.log")
        self.ready_path = "/healthz" if target == "wsgi:app" else "/"

    def __enter__(self) -> Gunicorn:
        with open(self.error_log, "ab") as errors:
            self.proc = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=errors, stderr=errors)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=2):
                    return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"gunicorn exited with {self.proc.returncode}") from None
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
