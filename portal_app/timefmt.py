"""Agency-local date and time: forms take wall-clock time in TIME_ZONE, the database keeps UTC.

The one place that writes dates and times for people: every site shows them in the agency's zone,
in the reader's language (Babel's medium date and short time: "Nov 26, 2026, 9:22 PM" /
"26 nov 2026, 21:22"), and lists say "Today" or "Yesterday" for recent ones.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format
from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from .clock import utcnow

STYLES = ("datetime", "date", "time")


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def agency_zone() -> ZoneInfo:
    """The agency's time zone (config TIME_ZONE, an IANA name such as America/Los_Angeles)."""
    return _zone(current_app.config["TIME_ZONE"])


def to_utc(local: datetime) -> datetime:
    """A naive wall-clock time typed in the agency's zone, as aware UTC (an aware value is just converted).

    Raises OverflowError for a time within hours of datetime.min or datetime.max: forms keep
    their years in a sane range first.
    """
    if local.tzinfo is None:
        local = local.replace(tzinfo=agency_zone())
    return local.astimezone(UTC)


def to_local(value: datetime, zone: ZoneInfo | None = None) -> datetime:
    """An aware (or naive UTC, as SQLite returns it) datetime in the agency's zone (`zone`, when the caller
    already has it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone or agency_zone())


def local_input_value(value: datetime | None) -> datetime | None:
    """The naive local minute an <input type="datetime-local"> shows for a stored UTC time."""
    if value is None:
        return None
    return to_local(value).replace(tzinfo=None, second=0, microsecond=0)


def _plain(text: str) -> str:
    # CLDR puts a narrow no-break space before AM/PM; an ordinary space reads the same and searches alike.
    return text.replace("\u202f", " ")


# Lists write dozens of dates and times a page, mostly the same few: each distinct one is formatted by
# Babel once per process and language (Babel parses the pattern and walks the locale data every call).
@lru_cache(maxsize=4096)
def _day_in(locale: Locale, day: date) -> str:
    return format_date(day, "medium", locale=locale)


@lru_cache(maxsize=4096)
def _time_in(locale: Locale, hour: int, minute: int) -> str:
    # The short pattern shows hours and minutes only ("9:22 PM" / "21:22"): nothing else of the moment.
    return _plain(format_time(datetime(2000, 1, 1, hour, minute), "short", locale=locale))


@cache
def _datetime_pattern(locale: Locale) -> str:
    return get_datetime_format("medium", locale=locale)


_CANONICAL: dict[tuple, Locale] = {}


def _locale() -> Locale:
    """The reader's Locale, as one object per language for the process: the caches below then find their
    entries by identity. Each request brings its own, equal Locale, and Babel compares two by building their
    identifiers, which cost more than the cached formatting saved."""
    locale = get_locale() or Locale.parse("en")
    key = (locale.language, locale.territory, locale.script, locale.variant, locale.modifier)
    return _CANONICAL.get(key) or _CANONICAL.setdefault(key, locale)


def _day(value: date, locale: Locale | None = None) -> str:
    day = value.date() if isinstance(value, datetime) else value
    return _day_in(locale or _locale(), day)


def _time(local: datetime, locale: Locale | None = None) -> str:
    return _time_in(locale or _locale(), local.hour, local.minute)


def _join(day: str, time: str, locale: Locale | None = None) -> str:
    """The reader's language's way of putting a date and a time together ("{1}, {0}" in English and Spanish)."""
    return _datetime_pattern(locale or _locale()).replace("{1}", day).replace("{0}", time)


def local_dt(value: datetime | date | None, style: str = "datetime") -> str:
    """Jinja filter: "Nov 22, 2026, 1:05 AM" in the agency's zone and the reader's language; "" for None.

    A plain date (a date of birth) is written as it is, with no zone. `style` is datetime, date or time.
    """
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return _day(value)
    local, locale = to_local(value), _locale()
    if style == "date":
        return _day(local, locale)
    if style == "time":
        return _time(local, locale)
    return _join(_day(local, locale), _time(local, locale), locale)


def local_dt_zoned(value: datetime) -> str:
    """A moment on a record that leaves Caseport (a signature on a PDF, the verify page): the date and the
    time to the second, with the zone's abbreviation ("Nov 22, 2026, 1:05:09 AM PST")."""
    local = to_local(value)
    locale = _locale()
    seconds = _plain(format_time(local, "medium", locale=locale))
    return f"{_join(_day(local, locale), seconds, locale)} {local.strftime('%Z')}"


# local_when's answers by (language, today, the local minute): a list page writes dozens, most of them the
# same few minutes and days.
_WHEN: dict[tuple, str] = {}
_WHEN_LIMIT = 20_000


def local_when(value: datetime | None) -> str:
    """Jinja filter for lists: "Today, 9:22 AM", "Yesterday, 4:10 PM", else the full date and time."""
    if value is None:
        return ""
    zone, locale = agency_zone(), _locale()
    local, today = to_local(value, zone), to_local(utcnow(), zone).date()
    key = (locale, today, local.date(), local.hour, local.minute)
    text = _WHEN.get(key)
    if text is None:
        if len(_WHEN) >= _WHEN_LIMIT:  # a long-running process meets new minutes every day
            _WHEN.clear()
        text = _WHEN[key] = _write_when(local, today, locale)
    return text


def _write_when(local: datetime, today: date, locale: Locale) -> str:
    days = (today - local.date()).days
    if days == 0:
        return _join(_("Today"), _time(local, locale), locale)
    if days == 1:
        return _join(_("Yesterday"), _time(local, locale), locale)
    return _join(_day(local, locale), _time(local, locale), locale)


def local_iso(value: datetime | date | None) -> str:
    """Jinja filter: the machine-readable local time for <time datetime="...">."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return value.isoformat()
    return to_local(value).isoformat(timespec="minutes")


def init_app(app: Flask) -> None:
    ZoneInfo(app.config["TIME_ZONE"])  # an unknown zone name fails at start-up, not on the first page
    app.add_template_filter(local_dt, "local_dt")
    app.add_template_filter(local_when, "local_when")
    app.add_template_filter(local_dt_zoned, "local_dt_zoned")
    app.add_template_filter(local_iso, "local_iso")
