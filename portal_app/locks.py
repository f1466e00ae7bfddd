"""Transaction-scoped locks that serialise a check-then-write across instances (PostgreSQL advisory locks).

SQLite has a single writer, so nothing is needed there. Keys are fixed per purpose.
"""
from sqlalchemy import text

from .extensions import db

AUDIT_CHAIN = 7310  # appending to the audit hash chain
LICENCE_SEATS = 7311  # counting seats before enabling an account


def serialize(key: int) -> None:
    """Hold lock `key` until the current transaction ends."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
