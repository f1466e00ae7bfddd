"""Agency-local date and time: forms take wall-clock time in TIME_ZONE, the database keeps UTC."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app

FORMATS = {
    "datetime": "{month} {day}, {year}, {hour}:{minute:02d} {ampm}",
    "date": "{month} {day}, {year}",
    "time": "{hour}:{minute:02d} {ampm}",
}


def agency_zone() -> ZoneInfo:
    """The agency's time zone (config TIME_ZONE, an IANA name such as America/Los_Angeles)."""
    return ZoneInfo(current_app.config["TIME_ZONE"])


def to_utc(local: datetime) -> datetime:
    """A naive wall-clock time typed in the agency's zone, as aware UTC (an aware value is just converted).

    Raises OverflowError for a time within hours of datetime.min or datetime.max: forms keep
    their years in a sane range first.
    """
    if local.tzinfo is None:
        local = local.replace(tzinfo=agency_zone())
    return local.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    """An aware (or naive UTC, as SQLite returns it) datetime in the agency's zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(agency_zone())


def local_input_value(value: datetime | None) -> datetime | None:
    """The naive local minute an <input type="datetime-local"> shows for a stored UTC time."""
    if value is None:
        return None
    return to_local(value).replace(tzinfo=None, second=0, microsecond=0)


def local_dt(value: datetime | None, style: str = "datetime") -> str:
    """Jinja filter: "Nov 22, 2026, 1:05 AM" in the agency's zone; "" for None."""
    if value is None:
        return ""
    local = to_local(value)
    return FORMATS[style].format(
        month=local.strftime("%b"), day=local.day, year=local.year,
        hour=local.hour % 12 or 12, minute=local.minute, ampm="AM" if local.hour < 12 else "PM",
    )


def local_iso(value: datetime | None) -> str:
    """Jinja filter: the machine-readable local time for <time datetime="...">."""
    return "" if value is None else to_local(value).isoformat(timespec="minutes")


def init_app(app: Flask) -> None:
    ZoneInfo(app.config["TIME_ZONE"])  # an unknown zone name fails at start-up, not on the first page
    app.add_template_filter(local_dt, "local_dt")
    app.add_template_filter(local_iso, "local_iso")
