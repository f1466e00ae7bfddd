"""Staff side: Account Administration › Locations and Kiosks (pair by code, revoke), hand-offs from the client
page and from a document, the open hand-offs on the Documents tab with Cancel and Resend."""
from __future__ import annotations

from sqlalchemy import select

from portal_app.documents import workflow
from portal_app.extensions import db
from portal_app.kiosk.models import AgencyLocation, KioskDevice, KioskHandoff
from tests import factories
from tests.conftest import csrf_token
from tests.documents.documents_helpers import form
from tests.kiosk.kiosk_helpers import confirm_birth_date, handoff, kiosk, location, pair, show_code


def test_admin_adds_a_location_and_a_kiosk_then_pairs_it_by_code(app, admin):
    staff, tablet = app.test_client(), app.test_client()
    assert staff.post("/staff/login", data={"email": admin.email, "password": "correct horse battery staple",
                                            "csrf_token": csrf_token(staff, "/staff/login")}).status_code == 302
    token = csrf_token(staff, "/staff/admin/locations/new")
    assert staff.post("/staff/admin/locations/new", data={"csrf_token": token, "name": "", "address": ""}).status_code == 422
    assert staff.post("/staff/admin/locations/new", data={"csrf_token": token, "name": "Main office",
                                                          "address": "1 Main St"}).status_code == 302
    place = db.session.scalar(select(AgencyLocation).where(AgencyLocation.name == "Main office"))
    resp = staff.post("/staff/admin/kiosks/new", data={"csrf_token": token, "name": "Front desk",
                                                       "location_id": str(place.id)})
    device = db.session.scalar(select(KioskDevice).where(KioskDevice.name == "Front desk"))
    assert resp.status_code == 302 and not device.paired
    detail = f"/staff/admin/kiosks/{device.id}"
    wrong = staff.post(detail, data={"csrf_token": token, "code": "ZZZZZZ"})
    assert wrong.status_code == 422 and "not shown on any tablet" in wrong.get_data(as_text=True)
    code = show_code(tablet)
    assert tablet.get("/kiosk/pair/status").headers.get("HX-Redirect") is None
    assert staff.post(detail, data={"csrf_token": token, "code": code.lower()}).status_code == 302
    assert tablet.get("/kiosk/pair/status").headers["HX-Redirect"] == "/kiosk/login"
    assert tablet.get("/kiosk/login").status_code == 302
    assert tablet.get("/kiosk/").status_code == 200
    assert "Paired" in staff.get("/staff/admin/kiosks").get_data(as_text=True)
    assert staff.post(f"{detail}/revoke", data={"csrf_token": token}).status_code == 302
    assert tablet.get("/kiosk/").headers["Location"].startswith("/kiosk/login")


def test_case_manager_hands_a_form_from_the_client_page(client, auth, admin, case_manager):
    device = kiosk(admin)
    device.secret_hash = "1" * 64
    template = form(admin, "Intake form")
    form(admin, "Notice of termination of benefits")  # paper-only: never offered on a kiosk
    person = factories.client(admin.organization)
    assert auth.login(case_manager).status_code == 302
    assert ">Kiosk</a>" in client.get(f"/staff/clients/{person.id}").get_data(as_text=True)
    page = client.get(f"/staff/clients/{person.id}/kiosk").get_data(as_text=True)
    assert "Intake form" in page and "Notice of termination" not in page and f"Any tablet at {device.location.name}" in page
    token = csrf_token(client, f"/staff/clients/{person.id}/kiosk")
    assert client.post(f"/staff/clients/{person.id}/kiosk", data={"csrf_token": token}).status_code == 422
    resp = client.post(f"/staff/clients/{person.id}/kiosk", data={"csrf_token": token, "template_id": str(template.id),
                                                                  "target": f"device:{device.id}"})
    assert resp.status_code == 302
    h = db.session.scalar(select(KioskHandoff).where(KioskHandoff.client_id == person.id))
    assert h.device_id == device.id and h.status == "pending" and h.document.status == "waiting_client"
    tab = client.get(f"/staff/clients/{person.id}/documents").get_data(as_text=True)
    assert "At the kiosk" in tab and device.name in tab and "Waiting for the client at the tablet" in tab
    assert client.post(f"/staff/kiosk-handoffs/{h.id}/cancel", data={"csrf_token": token}).status_code == 302
    db.session.refresh(h)
    assert h.status == "cancelled" and "At the kiosk" not in client.get(f"/staff/clients/{person.id}/documents").get_data(as_text=True)


def test_an_existing_document_goes_to_any_tablet_at_a_location_and_is_resent(client, auth, admin, case_manager):
    place = location(admin)
    person = factories.client(admin.organization)
    document = workflow.start_document(admin, person, form(admin, "Consent for services").id)
    assert auth.login(case_manager).status_code == 302
    listing = client.get(f"/staff/clients/{person.id}/documents").get_data(as_text=True)
    assert f"/staff/documents/{document.id}/kiosk" in listing
    token = csrf_token(client, f"/staff/documents/{document.id}/kiosk")
    url = f"/staff/documents/{document.id}/kiosk"
    assert client.post(url, data={"csrf_token": token, "target": f"location:{place.id}"}).status_code == 302
    again = client.post(url, data={"csrf_token": token, "target": f"location:{place.id}"})
    assert again.status_code == 422 and "already waiting at a kiosk" in again.get_data(as_text=True)
    h = db.session.scalar(select(KioskHandoff).where(KioskHandoff.document_id == document.id))
    h.held, h.dob_attempts = True, 3
    assert client.post(f"/staff/kiosk-handoffs/{h.id}/resend", data={"csrf_token": token}).status_code == 302
    db.session.refresh(h)
    assert h.status == "pending" and not h.held and h.dob_attempts == 0


def test_a_completed_document_cannot_go_to_a_kiosk(admin, case_manager):
    import pytest

    from portal_app.kiosk.errors import DocumentNotAwaitingClient
    from portal_app.kiosk.handoffs import hand_off

    person = factories.client(admin.organization)
    document = workflow.start_document(admin, person, form(admin, "Intake form").id)
    workflow.void(admin, document, "Started by mistake")
    with pytest.raises(DocumentNotAwaitingClient):
        hand_off(case_manager, person, document=document, location=location(admin))


def test_the_tablet_welcome_names_nobody_when_a_second_tablet_took_it(app, admin, case_manager):
    place = location(admin)
    first, second = app.test_client(), app.test_client()
    pair(first, admin, kiosk(admin, "Tablet 1", place))
    pair(second, admin, kiosk(admin, "Tablet 2", place))
    person = factories.client(admin.organization)
    h = handoff(admin, case_manager, person, place=place)
    for tablet in (first, second):
        assert tablet.get("/kiosk/poll").status_code == 200
    token = csrf_token(first, "/kiosk/")
    confirm_birth_date(first, h, person, token)
    assert second.get("/kiosk/poll").status_code == 204
    token = csrf_token(second, "/kiosk/")
    confirm_birth_date(second, h, person, token)
    assert "no longer waiting here" in second.get("/kiosk/").get_data(as_text=True)


def test_the_worker_expires_hand_offs_nobody_picked_up(admin, case_manager, frozen_clock):
    from datetime import timedelta

    from portal_app import clock
    from portal_app.kiosk.handoffs import HANDOFF_LIFETIME, expire_handoffs

    h = handoff(admin, case_manager, factories.client(admin.organization), place=location(admin))
    clock.advance(HANDOFF_LIFETIME - timedelta(minutes=1))
    assert expire_handoffs() == 0
    clock.advance(timedelta(minutes=2))
    assert expire_handoffs() == 1 and h.status == "expired"
