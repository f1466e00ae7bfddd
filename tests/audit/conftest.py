"""An application on a scratch database with committed audit rows, for tampering from another connection."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import orm, text
from sqlalchemy.engine import Engine

from portal_app import audit, create_app, worker
from portal_app.extensions import db
from tests.scratch_databases import scratch_database


@dataclass
class Trail:
    app: Flask
    engine: Engine
    checkpoints: Path

    def record(self, n: int) -> list[int]:
        """Record and commit `n` events; their ids in order."""
        ids = [audit.record("test.event", object_type="Thing", object_id=i, details={"n": i}).id for i in range(n)]
        db.session.commit()
        return ids

    def seal(self) -> audit.Seal | None:
        return worker.run_sealing_pass()

    def tamper(self, sql: str, **params) -> None:
        """Raw SQL on a connection of its own, committed: what someone with database access can do."""
        db.session.rollback()  # our own session holds no transaction (SQLite: no write lock) meanwhile
        with self.engine.connect() as conn:
            conn.execute(text(sql), params)
            conn.commit()

    def verify(self):
        """`flask audit-verify` through the CLI runner, reading the table afresh."""
        db.session.expire_all()
        return self.app.test_cli_runner().invoke(args=["audit-verify"])


@pytest.fixture
def trail(tmp_path, database_url, monkeypatch) -> Iterator[Trail]:
    """The app on its own database (committed rows), checkpoints in a folder of this test."""
    with scratch_database(tmp_path, "audit", database_url) as url:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "AUDIT_CHECKPOINT_DIR": str(tmp_path / "cp")})
        with app.app_context():
            db.create_all()
            engine = db.engine
            monkeypatch.setattr(
                db, "session", orm.scoped_session(orm.sessionmaker(bind=engine), scopefunc=threading.get_ident)
            )
            try:
                yield Trail(app, engine, tmp_path / "cp")
            finally:
                db.session.remove()
                engine.dispose()
