"""A paired tablet: pairing, the welcome poll, the birth date, filling, signing, wipes (app clock)."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from portal_app import clock
from portal_app.audit import AuditEvent
from portal_app.documents.records import DocumentStatus
from portal_app.extensions import db
from portal_app.kiosk import devices
from portal_app.kiosk.models import KioskHandoff
from portal_app.outbox import OutboxEmail
from tests import factories
from tests.conftest import csrf_token
from tests.documents.documents_helpers import INTAKE_ANSWERS, choice_values
from tests.kiosk.kiosk_helpers import handoff, kiosk, location, pair


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _details(event: AuditEvent) -> dict:
    return json.loads(event.details) if isinstance(event.details, str) else event.details


def _post(client, url: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/kiosk/"), **data})


def test_pairing_gives_a_kiosk_only_cookie_and_revoking_ends_it(client, admin):
    device = pair(client, admin)
    cookie = client.get_cookie("cp_kiosk_device", path="/kiosk")
    assert cookie is not None and cookie.http_only and cookie.path == "/kiosk" and cookie.same_site == "Strict"
    assert db.session.get(type(device), device.id).secret_hash == devices.digest(cookie.value)
    assert cookie.value not in json.dumps([str(e.details) for e in db.session.scalars(select(AuditEvent))])
    assert client.get("/kiosk/").status_code == 200
    devices.revoke_kiosk(admin, device)
    resp = client.get("/kiosk/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/kiosk/login")


def test_a_code_nobody_shows_is_refused_and_codes_expire(client, admin, frozen_clock):
    device = kiosk(admin)
    token = csrf_token(client, "/kiosk/login")
    client.post("/kiosk/pair", data={"csrf_token": token})
    import re
    code = re.search(r'id="pairing-code"[^>]*>([A-Z0-9]{6})<', client.get("/kiosk/login").get_data(as_text=True))[1]
    clock.advance(timedelta(minutes=11))
    import pytest

    from portal_app.kiosk.errors import PairingCodeInvalid
    with pytest.raises(PairingCodeInvalid):
        devices.claim_pairing(admin, device, code)
    with pytest.raises(PairingCodeInvalid):
        devices.claim_pairing(admin, device, "ZZZZZZ")
    assert "Show a pairing code" in client.get("/kiosk/login").get_data(as_text=True)


def test_whole_visit_dob_fill_sign_then_welcome(client, admin, case_manager):
    device = pair(client, admin)
    person = factories.client(admin.organization, first_name="Sam", last_name="Delgado")
    assert "Form for" not in client.get("/kiosk/").get_data(as_text=True)
    assert client.get("/kiosk/poll").status_code == 204
    h = handoff(admin, case_manager, person, device=device)
    poll = client.get("/kiosk/poll", headers={"HX-Request": "true", "X-Background-Poll": "1"})
    html = poll.get_data(as_text=True)
    assert poll.status_code == 200 and "Form for S. D." in html and "Delgado" not in html
    assert "Set-Cookie" not in poll.headers
    resp = _post(client, "/kiosk/verify", handoff=str(h.id), birth_date="1901-01-01")
    assert resp.status_code == 302
    page = client.get("/kiosk/").get_data(as_text=True)
    assert "does not match" in page and 'action="/kiosk/answers"' not in page
    _post(client, "/kiosk/verify", handoff=str(h.id), birth_date=person.date_of_birth.isoformat())
    page = client.get("/kiosk/")
    assert page.headers["Cache-Control"] == "no-store"
    template = h.document.template_version.template
    answers = {**INTAKE_ANSWERS, "language": choice_values(template, "language")[1],
               "needs": choice_values(template, "needs")[:2]}
    refused = _post(client, "/kiosk/answers", **{**answers, "full_name": ""})  # POST-redirect: history holds GETs only
    assert refused.status_code == 302
    page = client.get("/kiosk/").get_data(as_text=True)
    assert "Answer this question." in page and "Help with rent this winter." in page  # the rest kept as typed
    assert _post(client, "/kiosk/answers", **answers).status_code == 302
    assert 'action="/kiosk/sign"' in client.get("/kiosk/").get_data(as_text=True)
    assert _post(client, "/kiosk/sign", typed_name="Sam Delgado").status_code == 302  # no intent
    assert "Tick the box to show you mean to sign." in client.get("/kiosk/").get_data(as_text=True)
    assert "Tick the box" not in client.get("/kiosk/").get_data(as_text=True)  # said once
    assert _post(client, "/kiosk/sign", typed_name="Sam Delgado", intent="yes").status_code == 302
    db.session.refresh(h)
    document = h.document
    assert h.status == "completed" and document.status == DocumentStatus.COMPLETED
    signature = document.signatures[0]
    assert signature.signer_kind == "client" and "kiosk" in signature.method and device.name in signature.method
    after = client.get("/kiosk/").get_data(as_text=True)
    assert "Welcome" in after and "Sam" not in after and "Maria" not in after
    mail = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == case_manager.email)).all()
    assert len(mail) == 1 and "Delgado" not in mail[0].body_text and f"/staff/documents/{document.id}" in mail[0].body_text


def test_three_wrong_birth_dates_send_it_back_to_staff(client, admin, case_manager):
    device = pair(client, admin)
    h = handoff(admin, case_manager, factories.client(admin.organization), device=device)
    for _ in range(3):
        _post(client, "/kiosk/verify", handoff=str(h.id), birth_date="1901-01-01")
    db.session.refresh(h)
    assert h.status == "pending" and h.held and h.active_device_id is None
    assert client.get("/kiosk/poll").status_code == 204
    assert [_details(e)["attempt"] for e in _events("kiosk.birth_date_refused")] == [1, 2, 3]
    assert _details(_events("kiosk.session_wiped")[0])["reason"] == "birth_date"


def test_idle_three_minutes_wipes_with_the_app_clock(client, admin, case_manager, frozen_clock):
    device = pair(client, admin)
    person = factories.client(admin.organization)
    h = handoff(admin, case_manager, person, device=device)
    _post(client, "/kiosk/verify", handoff=str(h.id), birth_date=person.date_of_birth.isoformat())
    clock.advance(timedelta(minutes=2, seconds=50))
    assert 'action="/kiosk/answers"' in client.get("/kiosk/").get_data(as_text=True)  # a GET does not count as activity
    clock.advance(timedelta(seconds=11))
    page = client.get("/kiosk/").get_data(as_text=True)
    assert 'action="/kiosk/answers"' not in page and "3 minutes" in page
    db.session.refresh(h)
    assert h.status == "pending" and h.held and _details(_events("kiosk.session_wiped")[0])["reason"] == "idle"


def test_staff_end_the_session_with_their_own_sign_in(client, admin, case_manager):
    device = pair(client, admin)
    person = factories.client(admin.organization)
    h = handoff(admin, case_manager, person, device=device)
    _post(client, "/kiosk/verify", handoff=str(h.id), birth_date=person.date_of_birth.isoformat())
    token = csrf_token(client, "/kiosk/staff")
    bad = client.post("/kiosk/staff", data={"csrf_token": token, "email": case_manager.email, "password": "nope"})
    assert bad.status_code == 401
    from tests.conftest import DEMO_PASSWORD
    ok = client.post("/kiosk/staff", data={"csrf_token": token, "email": case_manager.email, "password": DEMO_PASSWORD})
    assert ok.status_code == 302
    db.session.refresh(h)
    assert h.status == "pending" and h.held and h.ended_by_id == case_manager.id
    assert _events("kiosk.session_ended_by_staff")[0].actor_id == case_manager.id
    assert client.get("/staff/").status_code == 302  # the staff member was not signed in anywhere


def test_any_tablet_at_a_location_and_another_location(client, admin, case_manager):
    place = location(admin, "North clinic")
    pair(client, admin, kiosk(admin, "Tablet A", place))
    elsewhere = location(admin, "South clinic")
    person = factories.client(admin.organization)
    handoff(admin, case_manager, person, place=elsewhere)
    assert client.get("/kiosk/poll").status_code == 204
    h = handoff(admin, case_manager, person, place=place, name="Release of information")
    assert client.get("/kiosk/poll").status_code == 200
    assert db.session.scalar(select(KioskHandoff.id).where(KioskHandoff.id == h.id))


def test_a_representative_present_signs_with_their_capacity_in_spanish(client, admin, case_manager):
    device = pair(client, admin)
    person = factories.client(admin.organization, first_name="Lucía", last_name="Delgado")
    h = handoff(admin, case_manager, person, device=device, name="Release of information")
    token = csrf_token(client, "/kiosk/")
    client.post("/kiosk/language", data={"csrf_token": token, "lang": "es", "next": "/kiosk/"})
    assert "Formulario para L. D." in client.get("/kiosk/").get_data(as_text=True)
    _post(client, "/kiosk/verify", handoff=str(h.id), birth_date=person.date_of_birth.isoformat())
    h.step = "sign"  # the answers are the documents workflow's own tests' business
    h.document.status = DocumentStatus.WAITING_SIGNATURES
    db.session.flush()
    page = client.get("/kiosk/").get_data(as_text=True)
    assert "¿Quién firma?" in page and "Leer en voz alta" in page
    _post(client, "/kiosk/sign", typed_name="Ana Delgado", intent="yes", signer="representative", relationship="")
    assert "qué relación tiene" in client.get("/kiosk/").get_data(as_text=True)
    _post(client, "/kiosk/sign", typed_name="Ana Delgado", intent="yes", signer="representative", relationship="madre")
    db.session.refresh(h)
    signature = h.document.signatures[0]
    assert h.status == "completed" and signature.signer_kind == "representative"
    assert signature.capacity == "Ana Delgado, madre, for Lucía Delgado"
    assert '<html lang="en">' in client.get("/kiosk/").get_data(as_text=True)  # the next person starts in English
