"""The scratch database and the gunicorn processes of the load benchmark."""
from __future__ import annotations

import os
import sqlite3
import signal
import socket
import subprocess
import sys
import time
from contextlib import closing
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parents[3]


def _run_workers() -> list[str]:
    """The Makefile's RUN_WORKERS (`--workers 2 --threads 4`): the benchmark serves exactly as `make run`."""
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith("RUN_WORKERS"):
            return line.split("=", 1)[1].split()
    raise RuntimeError("the Makefile has no RUN_WORKERS line")


# Exactly the serving set-up of `make run`: its config file and its workers and threads.
GUNICORN_FLAGS = ["-c", str(ROOT / "gunicorn.conf.py"), *_run_workers()]
WORKERS = int(GUNICORN_FLAGS[GUNICORN_FLAGS.index("--workers") + 1])


def database_url() -> tuple[str, str]:
    """DATABASE_URL when given (PostgreSQL), else a SQLite file under instance/bench/."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url, url.split(":", 1)[0].split("+", 1)[0]
    path = ROOT / "instance" / "bench" / "caseport-bench.sqlite3"
    return f"sqlite:///{path}", "sqlite"


def sized_url(url: str, size: str = "10k") -> str:
    """The copy of one size beside the demo database: `<file>-10k.sqlite3`, or the PostgreSQL database
    `<name>_10k` (`<name>_1k` for the 1k size)."""
    if url.startswith("sqlite:///"):
        return url.removesuffix(".sqlite3") + f"-{size}.sqlite3"
    base, _, name = url.rpartition("/")
    name, sep, query = name.partition("?")
    return f"{base}/{name}_{size}{sep}{query}"


def client_count(url: str) -> int:
    """Clients in the database, 0 when it is missing or has no schema yet (for --reuse)."""
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return 0
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM client")).scalar_one()
    except Exception:  # noqa: BLE001  (no database, no table: nothing to reuse)
        return 0
    finally:
        engine.dispose()


def copy_database(source: str, target: str) -> None:
    """Copy the demo database to the 10k one: the SQLite file, or PostgreSQL's CREATE DATABASE ... TEMPLATE."""
    if source.startswith("sqlite:///"):
        src, dst = Path(source.removeprefix("sqlite:///")), Path(target.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{dst}{suffix}").unlink(missing_ok=True)
        with closing(sqlite3.connect(src)) as from_db, closing(sqlite3.connect(dst)) as to_db:
            from_db.backup(to_db)  # a consistent copy, whatever the WAL holds
        return
    source_name, target_name = source.rpartition("/")[2].split("?")[0], target.rpartition("/")[2].split("?")[0]
    engine = create_engine(source.rpartition("/")[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target_name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{target_name}" TEMPLATE "{source_name}"')
    engine.dispose()


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


def grow_to(url: str, size: str = "10k") -> dict:
    """Add the issue 8 data set (or the 1k one) on top of the demo network. PostgreSQL then vacuums and gathers
    statistics, as autovacuum would have done on a database of that size (it may be off on a bench machine):
    without it the planner probes index ends through pages not yet marked all-visible, and index-only scans
    read the table."""
    from portal_app.extensions import db
    from tests.bench.load.dataset import SIZES, grow

    app = _app(url)
    with app.app_context():
        grown = grow(SIZES[size])
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM (ANALYZE)"))
        db.engine.dispose()
    return {"seconds": round(grown.seconds, 1), "rows": grown.rows}


SETTLE_LIMIT_S = 60.0


def settle(url: str, limit: float = SETTLE_LIMIT_S) -> float:
    """Wait until the outbox worker has sealed every audit event recorded so far (at most `limit` seconds);
    the seconds waited. A load of an audited page leaves about a thousand events for the worker's next passes:
    measured while it seals them, the next page would pay for the previous one."""
    engine = create_engine(url)
    started = time.perf_counter()
    try:
        with engine.connect() as conn:
            while time.perf_counter() - started < limit:
                waiting = conn.execute(text("SELECT count(*) FROM audit_event WHERE seq IS NULL")).scalar()
                conn.rollback()
                if not waiting:
                    time.sleep(0.5)  # and the worker's pass has committed and gone back to sleep
                    break
                time.sleep(0.2)
    finally:
        engine.dispose()
    return time.perf_counter() - started


def targets(url: str) -> dict:
    """Ids the pages need: an ordinary client, the heavy client (María), the conversations opened."""
    from portal_app.clients.models import Client
    from portal_app.demo import CLIENTS
    from portal_app.extensions import db
    from portal_app.messaging.models import Conversation
    from portal_app.referrals.live import client_version

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
                 "guardian_conversation": latest_conversation(sam),
                 "referrals_version": client_version(db.session.get(Client, maria))}
        db.session.remove()
        db.engine.dispose()
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """`gunicorn <app>` with the set-up of `make run`, on a free port, until the block ends.

    For Caseport (`wsgi:app`) the outbox worker runs beside it as in `make run` (it seals the audit trail).
    """

    def __init__(self, target: str, env: dict[str, str], access_log: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.args = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", *GUNICORN_FLAGS,
                     "--access-logfile", str(access_log), target]
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), **env}  # this checkout, not the installed one
        self.proc: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.error_log = access_log.with_suffix(".errors.log")
        self.ready_path = "/healthz" if target == "wsgi:app" else "/"

    def __enter__(self) -> Gunicorn:
        try:
            return self._start()
        except BaseException as err:  # not ready, or stopped by a signal while starting: stop what was started
            self.__exit__(type(err))
            raise

    def _start(self) -> Gunicorn:
        # Each in a process group of its own (start_new_session), so that stopping kills the whole group:
        # gunicorn's master and its workers, even a worker its master leaves behind.
        self._log_start = len(self.error_log.read_text(errors="replace")) if self.error_log.exists() else 0
        with open(self.error_log, "ab") as errors:
            self.proc = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=errors, stderr=errors,
                                         start_new_session=True)
            if self.ready_path == "/healthz":  # as `make run`: `flask outbox-worker --interval 2` beside gunicorn
                self.worker = subprocess.Popen([sys.executable, "-m", "flask", "outbox-worker", "--interval", "2"],
                                               cwd=ROOT, env={**self.env, "FLASK_APP": "wsgi.py"},
                                               stdout=errors, stderr=errors, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}")
            if self._workers_ready() >= WORKERS:
                try:
                    with urllib.request.urlopen(self.base + self.ready_path, timeout=2):
                        return self
                except OSError:
                    pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn's {WORKERS} workers were not all ready within 60 s")

    def _workers_ready(self) -> int:
        """Workers of this server that loaded the app (gunicorn.conf.py's post_worker_init line). Loads wait
        for all of them: a keep-alive connection stays with the worker that accepted it, and a run that began
        while one was still loading went to the other alone (hello-world: 1,300 or 3,100 req/s by chance)."""
        text = self.error_log.read_text(errors="replace")[self._log_start:]
        return text.count("Worker ready (pid:")

    def __exit__(self, exc_type=None, *exc) -> None:
        # A run that ends well stops gunicorn gracefully (SIGTERM); one stopped by an error or a signal does not
        # wait for the load's keep-alive connections (gunicorn's quick shutdown, SIGINT).
        if self.proc is not None:
            _stop_group(self.proc, signal.SIGTERM if exc_type is None else signal.SIGINT)
        if self.worker is not None:
            _stop_group(self.worker, signal.SIGTERM)


def _stop_group(proc: subprocess.Popen, sig: int) -> None:
    """`sig` to the process's group and up to 30 s for its leader to stop; then SIGKILL to whatever of the
    group is left (all of it when the leader did not stop)."""
    if proc.poll() is None:
        _signal_group(proc.pid, sig)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    _signal_group(proc.pid, signal.SIGKILL)
    proc.wait()


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:  # the group is empty: all of it has stopped
        pass


def stop_on_signals() -> None:
    """SIGTERM and SIGINT (Ctrl-C) end the benchmark by SystemExit, as an error would: every `with Gunicorn(...)`
    block then stops its servers. Further signals are ignored while that runs (it has its own time limits)."""
    def stop(signum, _frame):
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)
