"""Staff appointments pages: the calendars (day, week, the agency's week; htmx fragments), booking from a free
slot, the 409 of a busy or off-hours time, move, cancel with a reason, status, notes, and their query cost."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal_app.appointments.models import Appointment
from portal_app.audit import AuditEvent
from portal_app.extensions import db
from tests import factories
from tests.appointments.helpers import at, book, weekdays_9_to_5
from tests.conftest import csrf_token
from tests.sql import count_statements


def html(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.fixture
def setting(client, auth, people, frozen_clock):
    """Casey (case manager) works weekdays 9-12 and 13-17 and is signed in; a client Maria (committed)."""
    weekdays_9_to_5(people["admin"], people["case_manager"])
    person = factories.client(people["admin"].organization, first_name="Maria", last_name="Quintero")
    db.session.commit()
    assert auth.login(people["case_manager"]).status_code == 302
    return people["case_manager"], person


def _post(client, url: str, data: dict, page: str):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)})


def _book(client, person, staff, start="2026-11-24T10:00", minutes="60"):
    page = f"/staff/clients/{person.id}/appointments/new"
    return _post(client, page, {"staff_id": str(staff.id), "starts_at": start, "minutes": minutes,
                                "mode": "in_person", "place": "Room 2", "notes": "First visit"}, page)


def test_click_a_free_slot_find_the_client_and_book(client, setting):
    casey, person = setting
    day = html(client.get(f"/staff/appointments?view=day&date=2026-11-24&staff_id={casey.id}"))
    slot = f"/staff/appointments/new?staff_id={casey.id}&amp;start=2026-11-24T10:00"
    assert slot in day and "Free" in day
    found = html(client.get(f"/staff/appointments/new?staff_id={casey.id}&start=2026-11-24T10:00&q=Maria"))
    link = re.search(r'href="(/staff/clients/\d+/appointments/new[^"]*)"', found).group(1).replace("&amp;", "&")
    form = html(client.get(link))
    assert 'value="2026-11-24T10:00"' in form and f'<option selected value="{casey.id}">' in form
    resp = _book(client, person, casey)
    assert resp.status_code == 302
    appointment = db.session.scalar(select(Appointment).where(Appointment.client_id == person.id))
    assert appointment.starts_at == at("2026-11-24", "10:00") and appointment.place == "Room 2"
    day = html(client.get(f"/staff/appointments?view=day&date=2026-11-24&staff_id={casey.id}"))
    assert f"/staff/appointments/{appointment.id}" in day and "Quintero" in day


@pytest.mark.parametrize(("start", "minutes", "words"), [
    ("2026-11-24T10:30", "30", "already has an appointment from 10:00 AM to 11:00 AM"),
    ("2026-11-24T17:00", "30", "the appointment must fit within those hours"),
    ("2026-11-28T10:00", "30", "is not available on Nov 28, 2026"),
])
def test_a_busy_or_off_hours_time_answers_409_beside_the_time(client, setting, start, minutes, words):
    casey, person = setting
    assert _book(client, person, casey).status_code == 302
    resp = _book(client, person, casey, start, minutes)
    assert resp.status_code == 409
    assert words in html(resp) and 'id="starts_at-error"' in html(resp)
    assert db.session.scalar(select(func.count(Appointment.id))) == 1


@pytest.mark.parametrize(("field", "data", "words"), [
    ("starts_at", {"starts_at": "tomorrow"}, "Enter the date and time"),
    ("starts_at", {"starts_at": ""}, "Enter when the appointment starts."),
    ("minutes", {"minutes": "0"}, "from 5 to 480"),
    ("minutes", {"minutes": "abc"}, "from 5 to 480"),
    ("staff_id", {"staff_id": "99999999999999999999"}, "Choose the staff member."),
    ("mode", {"mode": "carrier pigeon"}, "Choose in person, video or phone."),
    ("place", {"place": "x" * 201}, "at most 200"),
])
def test_bad_input_gets_a_field_message_and_422(client, setting, field, data, words):
    casey, person = setting
    page = f"/staff/clients/{person.id}/appointments/new"
    good = {"staff_id": str(casey.id), "starts_at": "2026-11-24T10:00", "minutes": "60", "mode": "in_person"}
    resp = _post(client, page, {**good, **data}, page)
    assert resp.status_code == 422
    assert f'id="{field}-error"' in html(resp) and words in html(resp)


def test_detail_move_cancel_status_and_notes(client, setting, people):
    casey, person = setting
    appointment = book(people["admin"], person, casey)
    other = book(people["admin"], person, casey, hm="14:00")
    db.session.commit()
    url = f"/staff/appointments/{appointment.id}"
    page = html(client.get(url))
    assert "Have client fill out form at home" not in page or "Forms due" in page
    move = {"staff_id": str(casey.id), "starts_at": "2026-11-24T14:30", "minutes": "30",
            "version_id": str(appointment.version_id)}
    resp = _post(client, f"{url}/move", move, url)
    assert resp.status_code == 409 and "already has an appointment from 2:00 PM" in html(resp)
    resp = _post(client, f"{url}/move", {**move, "starts_at": "2026-11-25T09:00"}, url)
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Appointment, appointment.id).starts_at == at("2026-11-25", "09:00")
    assert _post(client, f"{url}/cancel", {"reason": ""}, url).status_code == 422
    assert _post(client, f"{url}/cancel", {"reason": "Client asked"}, url).status_code == 302
    db.session.expire_all()
    assert db.session.get(Appointment, appointment.id).status == "cancelled"
    other_url = f"/staff/appointments/{other.id}"
    assert _post(client, f"{other_url}/status", {"status": "completed"}, other_url).status_code == 409  # not begun
    assert _post(client, f"{other_url}/status", {"status": "confirmed"}, other_url).status_code == 302
    resp = _post(client, f"{other_url}/details", {"mode": "video", "place": "ignored", "notes": "Bring ID",
                                                  "version_id": str(db.session.get(Appointment, other.id).version_id)},
                 other_url)
    assert resp.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Appointment, other.id)
    assert (saved.status, saved.mode, saved.place, saved.notes) == ("confirmed", "video", "", "Bring ID")
    views = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == "appointment.viewed")).all()
    assert views


def test_the_calendar_answers_htmx_with_its_fragment_and_works_without_it(client, setting, people):
    casey, person = setting
    book(people["admin"], person, casey)
    db.session.commit()
    url = "/staff/appointments?view=week&date=2026-11-24"
    full, fragment = client.get(url), client.get(url, headers={"HX-Request": "true"})
    assert "<html" in html(full) and "<html" not in html(fragment)
    assert "HX-Request" in fragment.headers["Vary"] and "Quintero" in html(fragment)
    assert 'hx-target="#calendar"' in html(full) and 'rel="next"' in html(full)
    panel = client.get(re.search(r'hx-get="(/staff/appointments/\d+)"', html(full)).group(1),
                       headers={"HX-Request": "true"})
    assert "<html" not in html(panel) and "Move appointment" in html(panel)


@pytest.mark.parametrize("view", ["day", "week"])
@pytest.mark.parametrize("whose", ["one", "agency"])
def test_calendar_queries_do_not_grow_with_appointments(client, setting, people, view, whose):
    casey, _person = setting
    staff_arg = f"&staff_id={casey.id}" if whose == "one" else ""
    url = f"/staff/appointments?view={view}&date=2026-11-24{staff_arg}"

    def cost() -> int:
        with count_statements() as counted:
            assert client.get(url).status_code == 200
        return len(counted)

    few = cost()
    for n in range(6):  # six half-hour appointments, each for another client, on Tuesday and Wednesday
        for day in ("2026-11-24", "2026-11-25"):
            book(people["admin"], factories.client(people["admin"].organization), casey, day,
                 f"{9 + n // 2:02d}:{30 * (n % 2):02d}", minutes=30)
    db.session.commit()
    assert cost() == few


@pytest.mark.parametrize("junk", ["date=99999-99-99", "view=year", "staff_id=abc", "staff_id=99999999999",
                                  "date=0001-01-01"])
def test_junk_calendar_arguments_are_not_errors(client, setting, junk):
    assert client.get(f"/staff/appointments?{junk}").status_code in (200, 404)
