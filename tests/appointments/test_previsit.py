"""Before an appointment (issue 12, items 1, 5 portal half): "Have client fill out form at home" links a portal
document to the appointment; it reaches the portal three days before (the worker sends it, or at once when the
appointment is nearer); the reminder email goes out the day before, once, link only. Tested with the app clock."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal_app.appointments import previsit, services
from portal_app.appointments.errors import AppointmentInvalid
from portal_app.documents.errors import NoPortalAccount
from portal_app.documents.records import Document
from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.portal_access.models import ClientAccess
from portal_app.worker import run_appointment_work
from tests import factories
from tests.appointments.helpers import book, weekdays_9_to_5
from tests.conftest import csrf_token
from tests.documents.documents_helpers import form


@pytest.fixture
def world(people, frozen_clock):
    """Sunday Nov 22, 2026 (the frozen clock). Sam has a portal account (and a representative without email)."""
    admin, casey = people["admin"], people["case_manager"]
    weekdays_9_to_5(admin, casey)
    sam = factories.client(admin.organization, first_name="Sam", last_name="Delgado")
    factories.access(factories.account("sam", email="sam@example.test"), sam, "self")
    aunt = factories.account("aunt")
    aunt.email = ""  # an account without email gets nothing by email
    factories.access(aunt, sam, label="aunt")
    consent, intake = form(admin, "Consent for services"), form(admin, "Intake form")
    return {"admin": admin, "casey": casey, "sam": sam, "consent": consent, "intake": intake, "clock": frozen_clock}


def _emails(subject_part: str) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.subject.contains(subject_part))))


def test_a_form_at_home_waits_until_three_days_before(world):
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-12-01", "10:00")
    link = previsit.add_form_at_home(world["casey"], appointment, world["consent"].id)
    assert link.document.status == "draft" and link.document.sent_at is None
    assert run_appointment_work() == (0, 0)  # Nov 22: too early
    world["clock"].freeze(datetime(2026, 11, 28, 17, 59, tzinfo=UTC))  # 3 days and a minute before
    assert run_appointment_work()[0] == 0
    world["clock"].freeze(datetime(2026, 11, 28, 18, 0, tzinfo=UTC))  # Dec 1 10:00 PST - 3 days
    assert run_appointment_work()[0] == 1
    document = db.session.get(Document, link.document_id)
    assert document.status == "waiting_client" and document.sent_by_id == world["casey"].id
    assert run_appointment_work()[0] == 0  # sent once
    assert [e.to_address for e in _emails("document")] == ["sam@example.test"]


def test_a_form_for_a_near_appointment_is_sent_at_once(world):
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-11-24", "10:00")
    link = previsit.add_form_at_home(world["casey"], appointment, world["consent"].id)
    assert link.document.status == "waiting_client"


def test_only_portal_fillable_forms_and_clients_with_an_account(world, people):
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-11-24", "10:00")
    with pytest.raises(AppointmentInvalid):
        previsit.add_form_at_home(world["casey"], appointment, 999999)
    loner = factories.client(world["admin"].organization)
    theirs = book(world["admin"], loner, world["casey"], "2026-11-24", "14:00")
    with pytest.raises(NoPortalAccount):
        previsit.add_form_at_home(world["casey"], theirs, world["consent"].id)


def test_cancelled_appointments_send_nothing(world):
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-12-01", "10:00")
    previsit.add_form_at_home(world["casey"], appointment, world["consent"].id)
    services.cancel_appointment(world["casey"], appointment, "Moved away")
    world["clock"].freeze(datetime(2026, 11, 30, 18, 0, tzinfo=UTC))
    assert run_appointment_work() == (0, 0)


def test_the_reminder_goes_the_day_before_once_with_a_link_only(world):
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-11-24", "10:00", place="Room 2",
                       notes="Probation review")
    assert run_appointment_work()[1] == 0  # Sunday: the appointment is on Tuesday
    world["clock"].freeze(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))  # Monday 8:00 PST
    assert run_appointment_work()[1] == 1
    assert run_appointment_work()[1] == 0
    (email,) = _emails("Reminder")
    assert email.to_address == "sam@example.test" and "/portal/appointments" in email.body_text
    for detail in ("Room 2", "Probation", "10:00", "Casey", world["casey"].last_name, "Sam", "Delgado"):
        assert detail not in email.body_text and detail not in email.subject
    services.move_appointment(world["admin"], appointment, world["casey"],
                              appointment.starts_at.replace(hour=appointment.starts_at.hour + 1), 60)
    assert run_appointment_work()[1] == 1  # moved: a reminder for the new time


def test_the_cli_runs_one_pass(app, world):
    book(world["admin"], world["sam"], world["casey"], "2026-11-23", "10:00")
    result = app.test_cli_runner().invoke(args=["appointments-remind"])
    assert result.exit_code == 0 and "1 reminder email(s) queued" in result.output
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 1


def test_staff_add_a_form_from_the_appointment(client, auth, world):
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-12-01", "10:00")
    db.session.commit()
    assert auth.login(world["casey"]).status_code == 302
    url = f"/staff/appointments/{appointment.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Have client fill out form at home" in page and "Consent for services" in page
    resp = client.post(f"{url}/forms", data={"template_id": "", "csrf_token": csrf_token(client, url)})
    assert resp.status_code == 422 and "Choose a form." in resp.get_data(as_text=True)
    resp = client.post(f"{url}/forms", data={"template_id": str(world["consent"].id),
                                              "csrf_token": csrf_token(client, url)})
    assert resp.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Consent for services" in page and "reaches the portal" in page and "Nov 28, 2026" in page


def test_a_form_that_cannot_be_sent_says_why_and_is_not_retried(world, client, auth):
    appointment = book(world["admin"], world["sam"], world["casey"], "2026-12-01", "10:00")
    link = previsit.add_form_at_home(world["casey"], appointment, world["consent"].id)
    for access in db.session.scalars(select(ClientAccess).where(ClientAccess.client_id == world["sam"].id)):
        access.revoked_at = world["clock"].utcnow()
    world["clock"].freeze(datetime(2026, 11, 28, 18, 0, tzinfo=UTC))
    assert run_appointment_work()[0] == 0
    db.session.expire_all()
    assert "no active portal account" in link.send_problem and link.document.status == "draft"
    assert run_appointment_work()[0] == 0 and previsit.due_precheckin_ids(world["clock"].utcnow()) == []
    assert auth.login(world["casey"]).status_code == 302
    assert "Not sent: The client has no active portal account" in client.get(
        f"/staff/appointments/{appointment.id}").get_data(as_text=True)
