"""Scratch databases for tests that need committed rows: their own PostgreSQL database or SQLite file."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url


@contextmanager
def scratch_database(tmp_path: Path, prefix: str = "scratch", base_url: str | None = None) -> Iterator[str]:
    """A fresh database beside the test one (PostgreSQL), else a SQLite file; dropped afterwards."""
    base_url = base_url or os.environ.get("TEST_DATABASE_URL", "")
    if not base_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / f'{prefix}-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    url = make_url(base_url)
    name = f"caseport_{prefix}_{uuid.uuid4().hex[:12]}"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()
