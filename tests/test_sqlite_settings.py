"""The embedded database's connection settings (issue 8): every SQLite connection the app opens is set up the
same way, whatever database the rest of the suite runs on."""
from __future__ import annotations

from portal_app import SQLITE_BUSY_TIMEOUT_MS, SQLITE_MMAP_BYTES, create_app
from portal_app.extensions import db


def test_sqlite_connections_wait_for_the_lock_and_read_through_a_memory_map(tmp_path):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'settings.sqlite3'}"})
    with app.app_context():
        try:
            for _ in range(2):  # a connection taken again from the pool keeps them
                with db.engine.connect() as conn:
                    pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
                    assert pragma("journal_mode") == "wal" and pragma("foreign_keys") == 1
                    assert pragma("busy_timeout") == SQLITE_BUSY_TIMEOUT_MS
                    # Pages come from the OS page cache, shared by every connection and worker, not reread
                    # into each connection's 2 MB cache (a staff page at 10k clients reads more than that).
                    assert pragma("mmap_size") == SQLITE_MMAP_BYTES
        finally:
            db.engine.dispose()
