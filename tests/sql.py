"""Counting the SQL statements a page sends (QUALITY.md P3)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from portal_app.extensions import db

HARNESS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")  # the rolled-back test transaction's


@contextmanager
def count_statements() -> Iterator[list[str]]:
    """Every SQL statement the application sends inside the block, from a cold session as in production."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith(HARNESS):
            statements.append(statement)

    db.session.expire_all()  # production sessions expire on commit: the signed-in person is loaded again
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
