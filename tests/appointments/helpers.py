"""Shared pieces of the appointments tests: hours for a staff member, local times, a booked appointment."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from portal_app.appointments import availability, services

ZONE = ZoneInfo("America/Los_Angeles")  # TestConfig's TIME_ZONE


def at(day: str, hm: str) -> datetime:
    """An agency-local wall-clock time ("2026-11-24", "10:00") as aware UTC."""
    return datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=ZONE).astimezone(ZoneInfo("UTC"))


def weekdays_9_to_5(admin, person) -> None:
    """Monday to Friday, 9:00-12:00 and 13:00-17:00."""
    ranges = availability.parse_ranges("9:00-12:00, 13:00-17:00")
    availability.set_weekly_hours(admin, person, {d: ranges if d < 5 else [] for d in range(7)})


def book(actor, client, person, day: str = "2026-11-24", hm: str = "10:00", minutes: int = 60, **kw):
    return services.book_appointment(actor, client, person, at(day, hm), minutes, **kw)
