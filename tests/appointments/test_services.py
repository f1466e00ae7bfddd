"""Booking rules: inside the staff member's hours, never overlapping, moved and cancelled (nothing deleted)."""
from __future__ import annotations

import pytest

from portal_app.appointments import availability, services
from portal_app.appointments.errors import (
    AppointmentInvalid,
    HoursInvalid,
    OutsideHours,
    SlotTaken,
    WrongAppointmentStatus,
)
from portal_app.appointments.models import Appointment
from portal_app.extensions import db
from tests import factories
from tests.appointments.helpers import at, book, weekdays_9_to_5


@pytest.fixture
def setup(people, frozen_clock):
    admin, casey = people["admin"], people["case_manager"]
    weekdays_9_to_5(admin, casey)
    return admin, casey, factories.client(admin.organization)


def test_a_booking_inside_the_hours_is_kept(setup):
    admin, casey, client = setup
    appointment = book(admin, client, casey, mode="in_person", place="Room 2")
    assert appointment.status == "booked" and appointment.length_minutes == 60
    assert appointment.organization_id == admin.organization_id and appointment.place == "Room 2"


@pytest.mark.parametrize(("day", "hm", "minutes"), [
    ("2026-11-24", "08:30", 60),  # before the morning
    ("2026-11-24", "11:30", 60),  # runs into the lunch break
    ("2026-11-24", "16:30", 45),  # past the end of the day
    ("2026-11-28", "10:00", 30),  # a Saturday: not working
])
def test_outside_the_hours_is_refused_with_409(setup, day, hm, minutes):
    admin, casey, client = setup
    with pytest.raises(OutsideHours) as err:
        book(admin, client, casey, day, hm, minutes)
    assert err.value.status == 409 and casey.display_name in str(err.value)


@pytest.mark.parametrize(("hm", "minutes"), [("10:00", 60), ("10:30", 15), ("09:30", 45), ("09:00", 180)])
def test_an_overlap_is_refused_and_says_with_what(setup, hm, minutes):
    admin, casey, client = setup
    book(admin, client, casey, hm="10:00", minutes=60)
    with pytest.raises(SlotTaken) as err:
        book(admin, factories.client(admin.organization), casey, hm=hm, minutes=minutes)
    assert err.value.status == 409 and "10:00 AM to 11:00 AM" in str(err.value)


def test_back_to_back_and_other_staff_are_fine(setup, people):
    admin, casey, client = setup
    book(admin, client, casey, hm="10:00", minutes=60)
    book(admin, client, casey, hm="11:00", minutes=60)
    weekdays_9_to_5(admin, people["supervisor"])
    book(admin, client, people["supervisor"], hm="10:00")


def test_a_day_off_and_other_hours_on_a_date(setup):
    admin, casey, client = setup
    availability.set_exception(admin, casey, at("2026-11-24", "12:00").date(), [], "Training")
    with pytest.raises(OutsideHours, match="not available"):
        book(admin, client, casey)
    availability.set_exception(admin, casey, at("2026-11-28", "12:00").date(),
                               availability.parse_ranges("10-14"), "Saturday clinic")
    assert book(admin, client, casey, "2026-11-28", "13:00").status == "booked"


def test_cancel_frees_the_time_and_keeps_the_row(setup):
    admin, casey, client = setup
    first = book(admin, client, casey)
    with pytest.raises(AppointmentInvalid):
        services.cancel_appointment(admin, first, "  ")
    services.cancel_appointment(admin, first, "Client is ill")
    assert book(admin, client, casey).status == "booked"
    assert db.session.get(Appointment, first.id).cancel_reason == "Client is ill"
    with pytest.raises(WrongAppointmentStatus):
        services.move_appointment(admin, first, casey, at("2026-11-25", "10:00"), 60)


def test_move_is_checked_like_a_booking_and_ignores_itself(setup):
    admin, casey, client = setup
    first, second = book(admin, client, casey), book(admin, client, casey, hm="14:00")
    services.move_appointment(admin, first, casey, at("2026-11-24", "10:30"), 60)  # overlaps only itself
    assert first.starts_at == at("2026-11-24", "10:30")
    with pytest.raises(SlotTaken):
        services.move_appointment(admin, first, casey, at("2026-11-24", "14:30"), 30)
    services.move_appointment(admin, second, casey, at("2026-11-25", "09:00"), 30)
    assert second.status == "booked" and second.reminder_sent_at is None


def test_a_staff_member_of_another_agency_cannot_be_booked(setup):
    admin, _casey, client = setup
    other = factories.user(factories.agency("Elsewhere"), email="x@elsewhere.test")
    with pytest.raises(AppointmentInvalid) as err:
        book(admin, client, other)
    assert err.value.field == "staff_id"


@pytest.mark.parametrize(("typed", "expected"), [
    ("9:00-12:00, 13:00-17:00", "9:00-12:00, 13:00-17:00"), ("9am-5pm", "9:00-17:00"),
    ("13:30 - 18:00; 8-9", "8:00-9:00, 13:30-18:00"), ("", ""), ("0:00-24:00", "0:00-23:59"),
])
def test_hours_are_read_as_people_type_them(typed, expected):
    assert availability.format_ranges(availability.parse_ranges(typed)) == expected


@pytest.mark.parametrize("typed", ["9-8", "nine to five", "9:00-12:00, 11:00-13:00", "25:00-26:00", "13pm-2pm",
                                   "9-10," * 8, "\x00"])
def test_unreadable_or_overlapping_hours_are_refused(typed):
    with pytest.raises(HoursInvalid):
        availability.parse_ranges(typed)
