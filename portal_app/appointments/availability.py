"""Staff availability: weekly hours per weekday and dated exceptions (a day off, or other hours that day).

Hours are typed as ranges ("9:00-12:00, 13:00-17:00"; "9am-5pm" works too) in the agency's time zone and
stored as wall-clock times. On a date with exception rows those rows replace the weekly hours; an exception
without times is a day off. Reading the hours of many staff members over a week is one query.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from sqlalchemy import delete, or_, select

from .. import audit
from ..accounts.models import User
from ..extensions import db
from ..locks import lock_staff_calendar
from ..plaintext import has_control_characters
from .errors import HoursInvalid
from .models import StaffAvailability

Range = tuple[time, time]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_RANGES = 6  # per day
MAX_NOTE = 200
_TIME = r"(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?"
_RANGE_RE = re.compile(rf"^\s*{_TIME}\s*(?:-|–|to)\s*{_TIME}\s*$", re.IGNORECASE)


def _clock(hour: str, minute: str | None, meridiem: str | None) -> time | None:
    h, m = int(hour), int(minute or 0)
    if meridiem:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if meridiem.lower().startswith("p") else 0)
    if h == 24 and m == 0:
        return time(23, 59)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        return None
    return time(h, m)


def parse_ranges(text: str, field: str = "hours") -> list[Range]:
    """"9:00-12:00, 13:00-17:00" as sorted ranges; "" is no hours. HoursInvalid (on `field`) says what is wrong."""
    text = (text or "").strip()
    if not text:
        return []
    if len(text) > 200 or has_control_characters(text):
        raise HoursInvalid("Type at most a few ranges, such as 9:00-12:00, 13:00-17:00.", field=field)
    ranges: list[Range] = []
    for part in (p for p in re.split(r"[,;]", text) if p.strip()):
        match = _RANGE_RE.match(part)
        start = _clock(*match.groups()[:3]) if match else None
        end = _clock(*match.groups()[3:]) if match else None
        if start is None or end is None:
            raise HoursInvalid(f"\u201c{part.strip()}\u201d is not a time range. Write it like 9:00-12:00 "
                               "(24-hour) or 9am-12pm.", field=field)
        if start >= end:
            raise HoursInvalid(f"In \u201c{part.strip()}\u201d the end comes before the start.", field=field)
        ranges.append((start, end))
    ranges.sort()
    if len(ranges) > MAX_RANGES:
        raise HoursInvalid(f"Use at most {MAX_RANGES} ranges in one day.", field=field)
    for (_, end), (start, _) in pairwise(ranges):
        if start < end:
            raise HoursInvalid("Two of these ranges overlap. Join them into one.", field=field)
    return ranges


def format_ranges(ranges: Iterable[Range]) -> str:
    """The typed form of ranges, as parse_ranges reads it back ("9:00-12:00, 13:00-17:00")."""
    return ", ".join(f"{s.hour}:{s.minute:02d}-{e.hour}:{e.minute:02d}" for s, e in ranges)


def rows_for(user_ids: Iterable[int], first: date, last: date) -> list[StaffAvailability]:
    """Weekly rows and the exceptions from `first` to `last` of these staff members: one query."""
    ids = list(user_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        select(StaffAvailability).where(
            StaffAvailability.user_id.in_(ids),
            or_(StaffAvailability.weekday.is_not(None), StaffAvailability.on_date.between(first, last)))
        .order_by(StaffAvailability.user_id, StaffAvailability.starts)))


def hours_on(rows: Iterable[StaffAvailability], user_id: int, day: date) -> list[Range]:
    """The staff member's hours on `day` from preloaded rows (the exceptions of that date win)."""
    mine = [r for r in rows if r.user_id == user_id]
    dated = [r for r in mine if r.on_date == day]
    if dated:
        return sorted((r.starts, r.ends) for r in dated if r.starts is not None)
    return sorted((r.starts, r.ends) for r in mine if r.weekday == day.weekday())


def exception_on(rows: Iterable[StaffAvailability], user_id: int, day: date) -> list[StaffAvailability]:
    return [r for r in rows if r.user_id == user_id and r.on_date == day]


def fits(ranges: Iterable[Range], start: datetime, end: datetime) -> bool:
    """Whether the local span start..end lies inside one range of start's day (ending at midnight counts as
    23:59, the end of a day typed "-24:00")."""
    if end.date() == start.date():
        end_time = end.time()
    elif end.date() == start.date() + timedelta(days=1) and end.time() == time(0):
        end_time = time(23, 59)
    else:
        return False
    return any(s <= start.time() and end_time <= e for s, e in ranges)


def weekly_hours(person: User) -> dict[int, list[Range]]:
    """weekday -> ranges of the person's weekly hours."""
    rows = db.session.scalars(select(StaffAvailability).where(
        StaffAvailability.user_id == person.id, StaffAvailability.weekday.is_not(None)))
    hours: dict[int, list[Range]] = {d: [] for d in range(7)}
    for row in rows:
        hours[row.weekday].append((row.starts, row.ends))
    return {d: sorted(r) for d, r in hours.items()}


def exceptions_from(person: User, first: date, limit: int = 60) -> list[StaffAvailability]:
    """The person's exceptions from `first` on, by date."""
    return list(db.session.scalars(select(StaffAvailability).where(
        StaffAvailability.user_id == person.id, StaffAvailability.on_date >= first)
        .order_by(StaffAvailability.on_date, StaffAvailability.starts).limit(limit)))


def set_weekly_hours(actor: User, person: User, hours: dict[int, list[Range]]) -> None:
    """Replace the person's weekly hours (weekday -> ranges); appointments already booked stay."""
    lock_staff_calendar(person.id)
    db.session.execute(delete(StaffAvailability).where(
        StaffAvailability.user_id == person.id, StaffAvailability.weekday.is_not(None)))
    for weekday, ranges in hours.items():
        for start, end in ranges:
            db.session.add(StaffAvailability(user_id=person.id, weekday=weekday, starts=start, ends=end))
    db.session.flush()
    audit.record("availability.weekly_set", actor, obj=person,
                 details={WEEKDAYS[d]: format_ranges(r) for d, r in hours.items() if r})


def set_exception(actor: User, person: User, on_date: date, ranges: list[Range], note: str = "") -> None:
    """Other hours on one date (no ranges: a day off), replacing what that date had."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE or has_control_characters(note):
        raise HoursInvalid(f"Use at most {MAX_NOTE} characters for the note, on one line.", field="note")
    lock_staff_calendar(person.id)
    db.session.execute(delete(StaffAvailability).where(
        StaffAvailability.user_id == person.id, StaffAvailability.on_date == on_date))
    for start, end in ranges or [(None, None)]:
        db.session.add(StaffAvailability(user_id=person.id, on_date=on_date, starts=start, ends=end, note=note))
    db.session.flush()
    audit.record("availability.exception_set", actor, obj=person,
                 details={"date": on_date.isoformat(), "hours": format_ranges(ranges) or "day off"})


def remove_exception(actor: User, person: User, on_date: date) -> bool:
    """The date follows the weekly hours again; False when it had no exception."""
    lock_staff_calendar(person.id)
    removed = db.session.execute(delete(StaffAvailability).where(
        StaffAvailability.user_id == person.id, StaffAvailability.on_date == on_date)).rowcount
    db.session.flush()
    if removed:
        audit.record("availability.exception_removed", actor, obj=person, details={"date": on_date.isoformat()})
    return bool(removed)
