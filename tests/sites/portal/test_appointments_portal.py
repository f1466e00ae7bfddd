"""Portal appointments (issue 12, item 1 portal half): the acted-for client's upcoming appointments on the home
page and the Appointments page (agency time, staff first name, how or where), Confirm (audited), Ask to
reschedule (a message to the staff member), hidden and revoked access, Spanish."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.appointments.models import Appointment
from portal_app.audit import AuditEvent
from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.messaging.models import Conversation
from portal_app.portal_access.models import HiddenItem
from tests import factories
from tests.appointments.helpers import book, weekdays_9_to_5
from tests.sites.portal.helpers import portal_login, portal_post


def html(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.fixture
def family(people, frozen_clock):
    """Sam's mother ("mom") and father ("dad") act for Sam, who has an appointment with Casey on Tuesday 10:00
    (in person, Room 2) and a video call on Wednesday 14:00."""
    casey = people["case_manager"]
    weekdays_9_to_5(people["admin"], casey)
    sam = factories.client(people["admin"].organization, first_name="Sam", last_name="Delgado")
    mom, dad = factories.account("mom"), factories.account("dad")
    mom_access = factories.access(mom, sam, label="mother")
    dad_access = factories.access(dad, sam, label="father")
    first = book(people["admin"], sam, casey, mode="in_person", place="Room 2")
    second = book(people["admin"], sam, casey, "2026-11-25", "14:00", 30, mode="video")
    db.session.commit()
    return {"first": first, "second": second, "mom": mom_access, "dad": dad_access, "casey": casey}


def test_home_and_appointments_page_show_when_who_and_where(client, family):
    assert portal_login(client, "mom").status_code == 302
    home = html(client.get("/portal/"))
    assert "Upcoming appointments" in home and "Nov 24, 2026, 10:00 AM" in home
    page = html(client.get("/portal/appointments"))
    assert f"With {family['casey'].first_name}" in page and "Room 2" in page and "Video call" in page
    assert family["casey"].last_name not in page  # first name only
    assert "Nov 25, 2026, 2:00 PM" in page


def test_confirm_is_recorded_and_audited(client, family):
    portal_login(client, "mom")
    first = family["first"]
    resp = portal_post(client, f"/portal/appointments/{first.id}/confirm", token_from="/portal/appointments")
    assert resp.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Appointment, first.id)
    assert saved.status == "confirmed" and saved.confirmed_by_account_id == family["mom"].account_id
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "appointment.confirmed"))
    assert "Confirmed" in html(client.get("/portal/appointments"))


def test_ask_to_reschedule_sends_the_clients_words_to_the_staff_member(client, family):
    portal_login(client, "mom")
    url = f"/portal/appointments/{family['first'].id}/reschedule"
    resp = portal_post(client, url, {"message": ""}, token_from=url)
    assert resp.status_code == 422 and "Write which days and times suit you." in html(resp)
    resp = portal_post(client, url, {"message": "Thursday morning works better."}, token_from=url)
    assert resp.status_code == 302
    conversation = db.session.scalar(select(Conversation).where(Conversation.client_id == family["first"].client_id))
    assert conversation.staff_id == family["casey"].id and conversation.subject.startswith("Request to reschedule")
    assert "Thursday morning works better." in conversation.messages[0].body_html


def test_hidden_from_one_representative_and_revoked_access(app, client, family, people):
    db.session.add(HiddenItem(access=family["dad"], item_type="appointment", item_id=family["first"].id,
                              hidden_by_id=people["case_manager"].id))
    db.session.commit()
    portal_login(client, "dad")
    page = html(client.get("/portal/appointments"))
    assert "Room 2" not in page and "Video call" in page
    first = family["first"]
    assert portal_post(client, f"/portal/appointments/{first.id}/confirm",
                       token_from="/portal/appointments").status_code == 404
    assert client.get(f"/portal/appointments/{first.id}/reschedule").status_code == 404
    family["mom"].revoked_at = utcnow()
    db.session.commit()
    revoked = app.test_client()
    portal_login(revoked, "mom")
    assert revoked.get(f"/portal/appointments/{first.id}/reschedule").status_code == 404
    assert "Room 2" not in html(revoked.get("/portal/appointments"))


def test_another_clients_appointment_is_not_found(client, family, people):
    other = factories.client(people["admin"].organization)
    theirs = book(people["admin"], other, family["casey"], "2026-11-26", "09:00", 30)
    db.session.commit()
    portal_login(client, "mom")
    assert client.get(f"/portal/appointments/{theirs.id}/reschedule").status_code == 404


def test_spanish(client, family):
    portal_login(client, "mom")
    portal_post(client, "/portal/language", {"lang": "es"}, token_from="/portal/appointments")
    page = html(client.get("/portal/appointments"))
    assert "Citas" in page and "Pedir otra fecha" in page and "Confirmar" in page
