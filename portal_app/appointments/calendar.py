"""The calendars: a day or a week of time slots per staff member, or the agency's staff side by side.

Built from two reads whatever the number of appointments: the appointments of the period (one query) and the
staff members' availability rows (one query). Times are wall-clock times in the agency's zone.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ..accounts.models import User
from ..clock import utcnow
from ..timefmt import agency_zone, to_local
from .availability import Range, exception_on, hours_on, rows_for
from .models import Appointment, AppointmentStatus
from .queries import appointments_between

SLOT_MINUTES = 30
DAY_START, DAY_END = time(8, 0), time(18, 0)  # shown even when nobody works earlier or later
VIEWS = ("day", "week")


@dataclass
class Cell:
    """One slot of one column: free (bookable), off (outside hours), busy (covered by an appointment that
    started earlier) or start (one or more appointments begin here); cancelled ones are listed too."""

    at: datetime  # local, aware
    kind: str
    appointments: list[Appointment] = field(default_factory=list)


@dataclass
class Column:
    person: User
    day: date
    hours: list[Range]
    note: str = ""
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Calendar:
    view: str
    day: date  # the day shown, or the Monday of the week shown
    days: list[date]
    people: list[User]
    columns: list[Column]
    slots: list[time]
    today: date
    by_person_day: dict[tuple[int, date], list[Appointment]] = field(default_factory=dict)  # the agency's week

    @property
    def previous(self) -> date:
        return self.day - timedelta(days=1 if self.view == "day" else 7)

    @property
    def next(self) -> date:
        return self.day + timedelta(days=1 if self.view == "day" else 7)


def parse_day(value: str | None, today: date) -> date:
    """A YYYY-MM-DD query value; today for anything else (a junk value is not an error page)."""
    try:
        day = date.fromisoformat((value or "")[:10])
    except ValueError:
        return today
    return day if 1900 <= day.year <= 2999 else today


def week_of(day: date) -> list[date]:
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=agency_zone())


def _slots(columns: list[Column], appointments: list[Appointment]) -> list[time]:
    first = min([DAY_START, *(s for c in columns for s, _ in c.hours),
                 *(to_local(a.starts_at).time() for a in appointments)])
    last = max([DAY_END, *(e for c in columns for _, e in c.hours)])
    minutes = first.hour * 60  # from the hour
    end = min(last.hour * 60 + last.minute, 24 * 60)
    return [time(m // 60, m % 60) for m in range(minutes, end, SLOT_MINUTES)]


def _fill(column: Column, slots: list[time], mine: list[Appointment]) -> None:
    for slot in slots:
        start = _local(column.day, slot)
        end = start + timedelta(minutes=SLOT_MINUTES)
        starting = [a for a in mine if start <= to_local(a.starts_at) < end]
        holding = [a for a in mine if a.status != AppointmentStatus.CANCELLED]
        if any(a.status != AppointmentStatus.CANCELLED for a in starting):
            kind = "start"
        elif any(to_local(a.starts_at) < end and to_local(a.ends_at) > start for a in holding):
            kind = "busy"
        elif any(s <= slot and (time(23, 59) if end.time() == time(0) else end.time()) <= e
                 for s, e in column.hours):
            kind = "free"
        else:
            kind = "off"
        column.cells.append(Cell(start, kind, starting))


def build(actor: User, view: str, day: date, people: list[User]) -> Calendar:
    """A day (columns: the people) or a week (one person: a column per day; several: a row per person)."""
    today = to_local(utcnow()).date()
    view = view if view in VIEWS else "day"
    days = [day] if view == "day" else week_of(day)
    start, end = _local(days[0], time(0)), _local(days[-1] + timedelta(days=1), time(0))
    appointments = appointments_between(actor, [p.id for p in people], start, end)
    rows = rows_for([p.id for p in people], days[0], days[-1])
    calendar = Calendar(view, days[0], days, people, [], [], today)
    if view == "week" and len(people) != 1:
        for a in appointments:
            calendar.by_person_day.setdefault((a.staff_id, to_local(a.starts_at).date()), []).append(a)
        calendar.columns = [Column(p, d, hours_on(rows, p.id, d), _note(rows, p.id, d)) for p in people for d in days]
        return calendar
    pairs = [(p, day) for p in people] if view == "day" else [(people[0], d) for d in days]
    calendar.columns = [Column(p, d, hours_on(rows, p.id, d), _note(rows, p.id, d)) for p, d in pairs]
    calendar.slots = _slots(calendar.columns, appointments)
    for column in calendar.columns:
        mine = [a for a in appointments if a.staff_id == column.person.id
                and to_local(a.starts_at).date() == column.day]
        _fill(column, calendar.slots, mine)
    return calendar


def _note(rows, user_id: int, day: date) -> str:
    dated = exception_on(rows, user_id, day)
    if not dated:
        return ""
    return dated[0].note or ("Day off" if dated[0].day_off else "Other hours")
