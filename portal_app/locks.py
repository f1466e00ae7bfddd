"""Transaction-scoped locks that serialise a check-then-write across instances (PostgreSQL advisory locks).

SQLite has a single writer (every writing transaction is BEGIN IMMEDIATE), so nothing is needed
there. Keys are fixed per purpose. Nothing on the request path may take a lock that serializes
unrelated requests: LICENCE_SEATS is taken only by the few admin actions that enable an account.
"""
from sqlalchemy import text

from .extensions import db

AUDIT_SEAL = 7310  # sealing the audit chain (workers only, never a request)
LICENCE_SEATS = 7311  # counting seats before enabling an account
STAFF_CALENDAR = 7312  # with a staff member's id: checking their calendar before booking (or changing hours)


def serialize(key: int) -> None:
    """Hold lock `key` until the current transaction ends."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def try_serialize(key: int) -> bool:
    """Take lock `key` until the transaction ends if nobody holds it; False (no wait) if someone does."""
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(db.session.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": key}))


def lock_staff_calendar(user_id: int) -> None:
    """Hold the lock of one staff member's calendar until the transaction ends, so two bookings of the same
    person are checked one after the other (no double-booking), while bookings of other people never wait.
    PostgreSQL: the two-key advisory lock (STAFF_CALENDAR, user id). SQLite: its one writer already does it."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k, :id)"), {"k": STAFF_CALENDAR, "id": user_id})
