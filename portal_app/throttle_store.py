"""Sign-in throttle counters in a SQLite file, shared by every process on the machine (`make run`).

Flask-Limiter keeps its counters in a `limits` storage. `memory://` is per process: with two gunicorn
workers each would allow "10 per minute" on its own, 20 in all. Production shares them in Redis; the
embedded default (`make run`, one machine, several workers) shares them in a small SQLite file beside the
database, `RATELIMIT_STORAGE_URI=sqlite:///<instance>/throttles.sqlite3`:

- one row per key: (key, count, expires_at), the fixed window Flask-Limiter uses by default;
- an increment is one UPSERT ... RETURNING, atomic in SQLite: two processes never count the same attempt
  once between them, and a process waits for the other's write (busy_timeout) instead of failing;
- WAL, so reads never wait; a connection per thread and per process (never carried across a fork);
- expired rows are deleted as new attempts come (only the throttled POSTs write here).

Registering the "sqlite" scheme is importing this module (limits' storage classes register themselves).
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from limits.storage import Storage

BUSY_TIMEOUT_MS = 5_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS throttle (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_throttle_expires_at ON throttle (expires_at);
"""

_INCR = """
INSERT INTO throttle (key, count, expires_at) VALUES (:key, :amount, :now + :expiry)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN expires_at <= :now THEN :amount ELSE count + :amount END,
    expires_at = CASE WHEN expires_at <= :now THEN :now + :expiry ELSE expires_at END
RETURNING count
"""


def _path(uri: str) -> Path:
    """sqlite:///relative/or/absolute path (as SQLAlchemy writes it: four slashes for an absolute one)."""
    rest = uri.split("://", 1)[1]
    if not rest.startswith("/") or rest == "/":
        raise ValueError(f"RATELIMIT_STORAGE_URI {uri!r}: expected sqlite:///path/to/throttles.sqlite3")
    return Path(rest[1:])


class SQLiteStorage(Storage):
    """A `limits` storage (fixed window) in one SQLite file; see the module docstring."""

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = _path(uri or "")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    @property
    def _conn(self) -> sqlite3.Connection:
        """This thread's connection, made again in a forked child (a connection never crosses a fork)."""
        pid = os.getpid()
        if getattr(self._local, "pid", None) != pid:
            self._local.conn, self._local.pid = self._connect(), pid
        return self._local.conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        conn = self._conn
        count = conn.execute(_INCR, {"key": key, "amount": amount, "now": now, "expiry": expiry}).fetchone()[0]
        conn.execute("DELETE FROM throttle WHERE expires_at <= ?", (now,))
        return int(count)

    def get(self, key: str) -> int:
        row = self._conn.execute("SELECT count FROM throttle WHERE key = ? AND expires_at > ?",
                                 (key, time.time())).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        row = self._conn.execute("SELECT expires_at FROM throttle WHERE key = ? AND expires_at > ?",
                                 (key, now)).fetchone()
        return float(row[0]) if row else now

    def check(self) -> bool:
        try:
            self._conn.execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._conn.execute("DELETE FROM throttle").rowcount

    def clear(self, key: str) -> None:
        self._conn.execute("DELETE FROM throttle WHERE key = ?", (key,))
