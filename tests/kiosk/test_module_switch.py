"""The agency's Kiosk module (Account Administration › Settings) switched off: staff get no Kiosk buttons and
every kiosk page answers 403 with a sentence saying why; a check-in queues nothing for the tablets; adding a
kiosk and pairing a tablet are refused while locations stay editable; a paired tablet shows a neutral notice
(English or Spanish, 403) instead of forms, stays paired, and works again once the module is back on."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal_app.appointments.models import AppointmentForm
from portal_app.documents import workflow
from portal_app.extensions import db
from portal_app.kiosk.models import (
    AgencyLocation,
    KioskDevice,
    KioskHandoff,
    KioskPairing,
)
from tests import factories
from tests.appointments.helpers import book, weekdays_9_to_5
from tests.conftest import csrf_token
from tests.documents.documents_helpers import form
from tests.kiosk.kiosk_helpers import confirm_birth_date, form_on_tablet, handoff, kiosk, location, pair, show_code
from tests.sites.staff.admin.helpers import SETTINGS, submit

STAFF_OFF = "The Kiosk module is turned off for your agency."
TABLET_OFF = "Kiosk is turned off for this agency. Please ask the front desk."
TABLET_OFF_ES = "El quiosco está desactivado para esta agencia. Pregunte en la recepción."
HX_POLL = {"HX-Request": "true", "X-Background-Poll": "1"}


def html(resp) -> str:
    return resp.get_data(as_text=True)


def _switch(agency, on: bool) -> None:
    agency.module_kiosk = on
    db.session.commit()


def _signed_in(app, person):
    http = app.test_client()
    assert http.post("/staff/login", data={"email": person.email, "password": "correct horse battery staple",
                                           "csrf_token": csrf_token(http, "/staff/login")}).status_code == 302
    return http


@pytest.mark.parametrize("on", [True, False], ids=["on", "off"])
def test_staff_see_no_kiosk_buttons_and_the_kiosk_pages_are_refused(app, admin, case_manager, on):
    place = location(admin)
    person = factories.client(admin.organization)
    template = form(admin, "Intake form")
    document = workflow.start_document(admin, person, template.id)
    sent = handoff(admin, case_manager, person, place=place, name="Consent for services")
    _switch(admin.organization, on)
    staff = _signed_in(app, case_manager)
    record = html(staff.get(f"/staff/clients/{person.id}"))
    documents = html(staff.get(f"/staff/clients/{person.id}/documents"))
    detail = html(staff.get(f"/staff/documents/{document.id}"))
    assert (f"/staff/clients/{person.id}/kiosk" in record) is on
    assert (f"/staff/documents/{document.id}/kiosk" in documents) is on
    assert ("At the kiosk" in documents and f"/staff/kiosk-handoffs/{sent.id}/cancel" in documents) is on
    assert (f"/staff/documents/{document.id}/kiosk" in detail) is on
    token = csrf_token(staff, "/staff/")
    for url in (f"/staff/clients/{person.id}/kiosk", f"/staff/documents/{document.id}/kiosk"):
        resp = staff.get(url)
        assert resp.status_code == (200 if on else 403), url
        assert (STAFF_OFF in html(resp)) is not on
    posted = staff.post(f"/staff/clients/{person.id}/kiosk", data={
        "csrf_token": token, "template_id": str(template.id), "target": f"location:{place.id}"})
    assert posted.status_code == (302 if on else 403)
    resend = staff.post(f"/staff/kiosk-handoffs/{sent.id}/resend", data={"csrf_token": token})
    cancel = staff.post(f"/staff/kiosk-handoffs/{sent.id}/cancel", data={"csrf_token": token})
    assert (resend.status_code, cancel.status_code) == ((302, 302) if on else (403, 403))
    assert STAFF_OFF in html(cancel) or on
    db.session.refresh(sent)
    assert sent.status == ("cancelled" if on else "pending")  # off: nothing changed
    handoffs = db.session.scalar(select(func.count(KioskHandoff.id)).where(KioskHandoff.client_id == person.id))
    assert handoffs == (2 if on else 1)


def test_the_appointment_panel_offers_no_kiosk_and_check_in_queues_nothing_while_off(
        app, admin, case_manager, frozen_clock):
    weekdays_9_to_5(admin, case_manager)
    place = location(admin)
    kiosk(admin, place=place)
    person = factories.client(admin.organization)
    frozen_clock.freeze(datetime(2026, 11, 24, 17, 0, tzinfo=UTC))  # Tuesday 09:00 agency time
    appointment = book(admin, person, case_manager, "2026-11-24", "10:00", location_id=place.id)
    document = workflow.start_document(case_manager, person, form(admin, "Consent for services").id)
    db.session.add(AppointmentForm(appointment=appointment, document=document, added_by_id=case_manager.id))
    _switch(admin.organization, False)
    staff = _signed_in(app, case_manager)
    url = f"/staff/appointments/{appointment.id}"
    panel = html(staff.get(url))
    assert "Check in" in panel and "Have client fill out form on kiosk" not in panel
    assert "go to the kiosk" not in panel and "goes to a kiosk" not in panel
    token = csrf_token(staff, url)
    refused = staff.post(f"{url}/kiosk", data={"csrf_token": token, "template_id": f"document:{document.id}",
                                               "target": f"location:{place.id}"})
    assert refused.status_code == 403 and STAFF_OFF in html(refused)
    assert staff.post(f"{url}/check-in", data={"csrf_token": token}).status_code == 302
    page = html(staff.get(url))
    assert "The client was checked in." in page and "kiosk at" not in page and "did not go to a kiosk" not in page
    db.session.refresh(appointment)
    assert appointment.status == "checked_in"
    assert db.session.scalar(select(KioskHandoff.id).where(KioskHandoff.client_id == person.id)) is None


def test_a_paired_tablet_shows_the_notice_while_off_and_works_again_once_on(app, admin, case_manager):
    tablet, device, person, waiting = form_on_tablet(app, admin, case_manager, first_name="Sam", last_name="Delgado")
    settings = _signed_in(app, admin)
    modules = {"module_client_portal": "y", "module_messaging": "y", "module_referrals": "y"}
    assert submit(settings, SETTINGS, modules).status_code == 302  # the administrator switches Kiosk off
    db.session.refresh(admin.organization)
    assert not admin.organization.module_kiosk

    home = tablet.get("/kiosk/")
    assert home.status_code == 403 and TABLET_OFF in html(home)
    assert "S. D." not in html(home) and "birth" not in html(home)  # no hand-off shown
    poll = tablet.get("/kiosk/poll", headers=HX_POLL)
    assert poll.status_code == 403 and poll.headers.get("HX-Refresh") == "true"  # the welcome screen reloads
    token = csrf_token(tablet, "/kiosk/")
    verify = confirm_birth_date(tablet, waiting, person, token)
    assert verify.status_code == 403 and TABLET_OFF in html(verify)
    db.session.refresh(waiting)
    assert waiting.status == "pending" and waiting.active_device_id is None
    assert tablet.post("/kiosk/language", data={"csrf_token": token, "lang": "es"}).status_code == 302
    assert TABLET_OFF_ES in html(tablet.get("/kiosk/"))
    assert tablet.post("/kiosk/language", data={"csrf_token": token, "lang": "en"}).status_code == 302
    db.session.refresh(device)
    assert device.paired  # still paired

    assert submit(settings, SETTINGS, {**modules, "module_kiosk": "y"}).status_code == 302  # back on
    home = tablet.get("/kiosk/")
    assert home.status_code == 200 and "Form for S. D." in html(home) and TABLET_OFF not in html(home)
    assert tablet.get("/kiosk/poll", headers=HX_POLL).status_code == 200
    resp = confirm_birth_date(tablet, waiting, person)
    assert resp.status_code == 302
    db.session.refresh(waiting)
    assert waiting.status == "in_progress" and waiting.active_device_id == device.id


def test_a_form_on_screen_goes_back_to_staff_when_the_module_is_switched_off(app, admin, case_manager):
    tablet, _, person, waiting = form_on_tablet(app, admin, case_manager)
    assert confirm_birth_date(tablet, waiting, person).status_code == 302
    assert "kiosk-form" in html(tablet.get("/kiosk/"))  # the client is filling it in
    _switch(admin.organization, False)
    home = tablet.get("/kiosk/")
    assert home.status_code == 403 and TABLET_OFF in html(home) and "kiosk-form" not in html(home)
    db.session.refresh(waiting)
    assert waiting.status == "pending" and waiting.held and waiting.active_device_id is None  # back with staff


def test_pairing_is_refused_while_off_and_locations_stay_editable(app, admin):
    place = location(admin, "Main office")
    device = kiosk(admin, place=place)
    _switch(admin.organization, False)
    staff = _signed_in(app, admin)
    token = csrf_token(staff, "/staff/admin/locations")
    assert staff.post("/staff/admin/locations/new", data={"csrf_token": token, "name": "Westside clinic",
                                                          "address": "2 West St"}).status_code == 302
    assert staff.post(f"/staff/admin/locations/{place.id}", data={"csrf_token": token, "name": "Main office",
                                                                  "address": "5 New St"}).status_code == 302
    db.session.refresh(place)
    assert db.session.scalar(select(func.count(AgencyLocation.id))) == 2 and place.address == "5 New St"
    assert "Westside clinic" in html(staff.get("/staff/admin/locations"))

    kiosks = html(staff.get("/staff/admin/kiosks"))
    assert device.name in kiosks and "/staff/admin/kiosks/new" not in kiosks and "turned off" in kiosks
    new = staff.get("/staff/admin/kiosks/new")
    assert new.status_code == 403 and STAFF_OFF in html(new)
    added = staff.post("/staff/admin/kiosks/new", data={"csrf_token": token, "name": "Second tablet",
                                                        "location_id": str(place.id)})
    assert added.status_code == 403 and db.session.scalar(select(func.count(KioskDevice.id))) == 1
    detail = f"/staff/admin/kiosks/{device.id}"
    page = html(staff.get(detail))
    assert 'name="code"' not in page and "turned off" in page
    code = show_code(app.test_client())  # a tablet shows a real code
    refused = staff.post(detail, data={"csrf_token": token, "code": code})
    assert refused.status_code == 403 and STAFF_OFF in html(refused)
    assert db.session.scalar(select(KioskPairing.device_id).where(KioskPairing.device_id.is_not(None))) is None

    _switch(admin.organization, True)
    assert "/staff/admin/kiosks/new" in html(staff.get("/staff/admin/kiosks"))
    assert 'name="code"' in html(staff.get(detail))
    assert staff.post(detail, data={"csrf_token": token, "code": code}).status_code == 302


def test_a_paired_tablet_can_still_be_revoked_while_off(app, admin):
    tablet = app.test_client()
    device = pair(tablet, admin)
    _switch(admin.organization, False)
    staff = _signed_in(app, admin)
    detail = f"/staff/admin/kiosks/{device.id}"
    assert "Revoke this kiosk" in html(staff.get(detail))
    assert staff.post(f"{detail}/revoke", data={"csrf_token": csrf_token(staff, detail)}).status_code == 302
    db.session.refresh(device)
    assert not device.paired
    assert tablet.get("/kiosk/").headers["Location"].startswith("/kiosk/login")
