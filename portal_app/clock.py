"""The one clock of the application, so tests can move time (frozen-clock tests of S4)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

_frozen: datetime | None = None


def utcnow() -> datetime:
    """Current time, timezone-aware UTC (or the frozen time in tests)."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Stop the clock at `at` (None lets it run again). Tests only."""
    global _frozen
    _frozen = at


def advance(delta: timedelta) -> datetime:
    """Move a frozen clock forward. Tests only."""
    freeze(utcnow() + delta)
    return utcnow()


def as_utc(value: datetime | None) -> datetime | None:
    """Read back a stored datetime as aware UTC (SQLite drops the zone)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
