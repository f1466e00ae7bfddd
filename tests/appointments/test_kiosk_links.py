"""Appointments and kiosks (issue 12, items 1, 3 "on kiosk" and 5 kiosk half): an in-person appointment at one
of the agency's locations (calendar, panel, portal with the address); "Have client fill out form on kiosk" from
the appointment panel, linked to the appointment and listed with its status; Check in queues the forms still
unsigned for the tablets at the appointment's location, one after another. Tested with the app clock."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal_app.appointments import kiosk_links, previsit
from portal_app.appointments.errors import WrongAppointmentStatus
from portal_app.appointments.models import Appointment, AppointmentForm
from portal_app.audit import AuditEvent
from portal_app.documents import workflow
from portal_app.extensions import db
from portal_app.kiosk.models import KioskHandoff
from tests import factories
from tests.appointments.helpers import book, weekdays_9_to_5
from tests.conftest import csrf_token
from tests.documents.documents_helpers import form
from tests.kiosk import kiosk_helpers
from tests.sites.portal.helpers import portal_login
from tests.sql import count_statements

TUESDAY_9AM = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # 09:00 in the agency's zone


def html(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.fixture
def world(people, frozen_clock):
    """Casey works weekdays; two locations (a kiosk at the first); Sam (born 1990) has a portal account; the
    clock is Tuesday Nov 24 2026, 09:00 agency time."""
    admin, casey = people["admin"], people["case_manager"]
    weekdays_9_to_5(admin, casey)
    office = kiosk_helpers.location(admin, "Main office")
    clinic = kiosk_helpers.location(admin, "Westside clinic")
    sam = factories.client(admin.organization, first_name="Sam", last_name="Delgado")
    factories.access(factories.account("sam", email="sam@example.test"), sam, "self")
    frozen_clock.freeze(TUESDAY_9AM)
    return {"admin": admin, "casey": casey, "office": office, "clinic": clinic, "sam": sam, "clock": frozen_clock,
            "intake": form(admin, "Intake form"), "consent": form(admin, "Consent for services")}


def _post(client, url: str, data: dict, page: str):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)})


def _linked(world, appointment, template) -> AppointmentForm:
    """A form due for the appointment (a draft not sent yet), as "at home" leaves it."""
    document = workflow.start_document(world["casey"], world["sam"], template.id)
    link = AppointmentForm(appointment=appointment, document=document, added_by_id=world["casey"].id)
    db.session.add(link)
    db.session.flush()
    return link


# -- 1. at a location ------------------------------------------------------------------------------------------

def test_book_at_a_location_shown_on_calendar_panel_and_portal(client, auth, world):
    office = world["office"]
    db.session.commit()
    assert auth.login(world["casey"]).status_code == 302
    page = f"/staff/clients/{world['sam'].id}/appointments/new"
    assert f'<option value="{office.id}">Main office</option>' in html(client.get(page))
    resp = _post(client, page, {"staff_id": str(world["casey"].id), "starts_at": "2026-11-24T10:00",
                                "minutes": "30", "mode": "in_person", "location_id": str(office.id),
                                "place": "Room 2"}, page)
    assert resp.status_code == 302
    appointment = db.session.scalar(select(Appointment).where(Appointment.client_id == world["sam"].id))
    assert appointment.location_id == office.id and appointment.place == "Room 2"
    day = html(client.get(f"/staff/appointments?view=day&date=2026-11-24&staff_id={world['casey'].id}"))
    assert "Main office" in day
    panel = html(client.get(f"/staff/appointments/{appointment.id}"))
    assert "Main office" in panel and "100 Main St" in panel and "Room 2" in panel
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    assert portal_login(client, "sam").status_code == 302
    portal = html(client.get("/portal/appointments"))
    assert "Main office" in portal and "100 Main St" in portal and "Room 2" in portal


def test_another_agencys_location_or_junk_is_a_field_error(client, auth, world, people):
    other = factories.agency("Elsewhere")
    their_admin = factories.user(other, role="admin")
    theirs = kiosk_helpers.location(their_admin, "Their office")
    db.session.commit()
    assert auth.login(world["casey"]).status_code == 302
    page = f"/staff/clients/{world['sam'].id}/appointments/new"
    for bad in (str(theirs.id), "abc", "99999999999999"):
        resp = _post(client, page, {"staff_id": str(world["casey"].id), "starts_at": "2026-11-24T10:00",
                                    "minutes": "30", "mode": "in_person", "location_id": bad}, page)
        assert resp.status_code == 422, bad
        assert 'id="location_id-error"' in html(resp) and "Choose one of your agency" in html(resp)
    assert db.session.scalar(select(Appointment).where(Appointment.client_id == world["sam"].id)) is None


def test_video_or_phone_has_no_location_and_details_change_it(world):
    from portal_app.appointments import services

    appointment = book(world["admin"], world["sam"], world["casey"], "2026-11-24", "10:00",
                       location_id=world["office"].id)
    services.update_details(world["casey"], appointment, mode="in_person", place="", notes="",
                            location_id=world["clinic"].id)
    assert appointment.location is world["clinic"]
    services.update_details(world["casey"], appointment, mode="video", place="", notes="",
                            location_id=world["clinic"].id)
    assert appointment.location_id is None


# -- 2. "Have client fill out form on kiosk" -------------------------------------------------------------------

def test_on_kiosk_from_the_panel_reaches_the_tablet_and_is_listed(client, auth, world):
    device = kiosk_helpers.pair(client, world["admin"], kiosk_helpers.kiosk(world["admin"], place=world["office"]))
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-11-24", "10:00",
                       location_id=world["office"].id)
    db.session.commit()
    assert auth.login(world["casey"]).status_code == 302
    url = f"/staff/appointments/{appointment.id}"
    panel = html(client.get(url))
    assert "Have client fill out form on kiosk" in panel
    assert f'<option selected value="location:{world["office"].id}">' in panel  # the appointment's location first
    assert 'id="kiosk-template_id"' in panel  # its own ids beside the "at home" form
    assert client.get("/kiosk/poll").status_code == 204
    token = {"kiosk-csrf_token": csrf_token(client, url)}
    bad = _post(client, f"{url}/kiosk", {**token, "kiosk-template_id": "template:abc",
                                         "kiosk-target": f"device:{device.id}"}, url)
    assert bad.status_code == 422 and "Choose one of the forms listed." in html(bad)
    resp = _post(client, f"{url}/kiosk", {**token, "kiosk-template_id": f"template:{world['intake'].id}",
                                          "kiosk-target": f"device:{device.id}"}, url)
    assert resp.status_code == 302
    handoff = db.session.scalar(select(KioskHandoff).where(KioskHandoff.appointment_id == appointment.id))
    assert handoff.device_id == device.id and handoff.status == "pending"
    poll = client.get("/kiosk/poll", headers={"HX-Request": "true", "X-Background-Poll": "1"})
    assert poll.status_code == 200 and "Form for S. D." in html(poll)
    panel = html(client.get(url))
    assert "At the kiosk" in panel and "Waiting for the client at the tablet" in panel and device.name in panel


def test_on_kiosk_refuses_a_cancelled_appointment(world):
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-11-24", "10:00")
    appointment.status = "cancelled"
    with pytest.raises(WrongAppointmentStatus):
        kiosk_links.hand_off_for(world["casey"], appointment, template_version=world["intake"].versions[-1],
                                 location=world["office"])


# -- 3. Check in: the unsigned forms go to the kiosk at the location ---------------------------------------------

def test_check_in_queues_the_unsigned_forms_in_order_for_the_location(client, world):
    device = kiosk_helpers.pair(client, world["admin"], kiosk_helpers.kiosk(world["admin"], place=world["office"]))
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-11-24", "10:00",
                       location_id=world["office"].id)
    first, second = _linked(world, appointment, world["consent"]), _linked(world, appointment, world["intake"])
    signed = _linked(world, appointment, world["consent"])
    signed.document.status = "completed"
    db.session.flush()
    assert client.get("/kiosk/poll").status_code == 204  # nothing before check-in
    result = kiosk_links.check_in(world["casey"], appointment)
    assert appointment.status == "checked_in" and appointment.checked_in_by_id == world["casey"].id
    assert [h.document_id for h in result.queued] == [first.document_id, second.document_id]
    assert all(h.location_id == world["office"].id and h.device_id is None and h.appointment_id == appointment.id
               for h in result.queued)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "appointment.checked_in")).one()
    assert event.client_id == world["sam"].id
    from portal_app.kiosk.tablet import waiting_handoff

    assert waiting_handoff(device).document_id == first.document_id  # oldest first
    result.queued[0].status = "completed"  # the client finished the first at the tablet
    db.session.flush()
    assert waiting_handoff(device).document_id == second.document_id  # then the next
    with pytest.raises(WrongAppointmentStatus):
        kiosk_links.check_in(world["casey"], appointment)  # once


def test_check_in_only_today_and_nothing_queued_without_a_location(world):
    later = book(world["admin"], world["sam"], world["casey"], "2026-11-25", "10:00", location_id=world["office"].id)
    _linked(world, later, world["consent"])
    with pytest.raises(WrongAppointmentStatus, match="day of their appointment"):
        kiosk_links.check_in(world["casey"], later)
    world["clock"].freeze(datetime(2026, 11, 25, 17, 0, tzinfo=UTC))
    nowhere = book(world["admin"], world["sam"], world["casey"], "2026-11-25", "11:00")
    _linked(world, nowhere, world["intake"])
    result = kiosk_links.check_in(world["casey"], nowhere)
    assert nowhere.status == "checked_in" and result.queued == [] and "no location" in result.skipped[0][1]
    assert db.session.scalar(select(KioskHandoff).where(KioskHandoff.appointment_id == nowhere.id)) is None


def test_check_in_leaves_a_form_already_at_the_kiosk_and_skips_paper_forms(world):
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-11-24", "10:00",
                       location_id=world["office"].id)
    link = _linked(world, appointment, world["consent"])
    kiosk_links.hand_off_for(world["casey"], appointment, document=link.document, location=world["clinic"])
    result = kiosk_links.check_in(world["casey"], appointment)
    assert result.queued == [] and result.skipped == []
    assert len(kiosk_links.appointment_handoffs(appointment)) == 1


def test_check_in_button_flashes_what_went_to_the_kiosk(client, auth, world):
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-11-24", "10:00",
                       location_id=world["office"].id)
    _linked(world, appointment, world["consent"])
    db.session.commit()
    assert auth.login(world["casey"]).status_code == 302
    url = f"/staff/appointments/{appointment.id}"
    assert "Check in" in html(client.get(url))
    resp = _post(client, f"{url}/check-in", {}, url)
    assert resp.status_code == 302
    page = html(client.get(url))
    assert "1 form(s) still to sign were sent to the kiosk at Main office." in page and "Checked in" in page
    again = _post(client, f"{url}/check-in", {}, url)
    assert again.status_code == 409
    assert client.post(f"{url}/check-in", data={}).status_code == 400  # no CSRF token


def test_previsit_forms_due_are_the_ones_queued(world):
    """A form added "at home" (sent to the portal, not signed yet) is still queued at check-in."""
    world["clock"].freeze(datetime(2026, 11, 23, 17, 0, tzinfo=UTC))
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-11-24", "10:00",
                       location_id=world["office"].id)
    link = previsit.add_form_at_home(world["casey"], appointment, world["consent"].id)
    assert link.document.status == "waiting_client"
    world["clock"].freeze(TUESDAY_9AM)
    assert [h.document_id for h in kiosk_links.check_in(world["casey"], appointment).queued] == [link.document_id]


@pytest.mark.parametrize("whose", ["one", "agency"])
def test_calendar_queries_do_not_grow_with_located_appointments(client, auth, world, whose):
    casey = world["casey"]
    db.session.commit()
    assert auth.login(casey).status_code == 302
    staff_arg = f"&staff_id={casey.id}" if whose == "one" else ""
    url = f"/staff/appointments?view=week&date=2026-11-24{staff_arg}"

    def cost() -> int:
        with count_statements() as counted:
            assert client.get(url).status_code == 200
        return len(counted)

    few = cost()
    for n in range(6):  # at two locations, each for another client
        place = world["office"] if n % 2 else world["clinic"]
        book(world["admin"], factories.client(world["admin"].organization), casey, "2026-11-25",
             f"{9 + n // 2:02d}:{30 * (n % 2):02d}", minutes=30, location_id=place.id)
    db.session.commit()
    assert cost() == few


def test_panel_queries_do_not_grow_with_handoffs(client, auth, world):
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-11-24", "10:00",
                       location_id=world["office"].id)
    db.session.commit()
    assert auth.login(world["casey"]).status_code == 302
    url = f"/staff/appointments/{appointment.id}"

    def cost() -> int:
        with count_statements() as counted:
            assert client.get(url).status_code == 200
        return len(counted)

    _linked(world, appointment, world["consent"])
    kiosk_links.check_in(world["casey"], appointment)
    db.session.commit()
    one = cost()
    for template in (world["intake"], world["consent"], world["intake"]):
        kiosk_links.hand_off_for(world["casey"], appointment, template_version=template.versions[-1],
                                 location=world["clinic"])
    db.session.commit()
    assert "Westside clinic" in html(client.get(url))
    assert cost() <= one + 1  # the extra forms' templates at most: not one query per hand-off


def test_a_checked_in_appointment_is_marked_completed_afterwards(client, auth, world):
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-11-24", "09:00",
                       location_id=world["office"].id)  # it starts now
    kiosk_links.check_in(world["casey"], appointment)
    db.session.commit()
    assert auth.login(world["casey"]).status_code == 302
    url = f"/staff/appointments/{appointment.id}"
    page = html(client.get(url))
    assert "Save status" in page and "Cancel appointment" not in page and "Move appointment" not in page
    assert _post(client, f"{url}/status", {"status": "confirmed"}, url).status_code == 409
    assert _post(client, f"{url}/status", {"status": "completed"}, url).status_code == 302
    db.session.refresh(appointment)
    assert appointment.status == "completed"
