"""Consent on sending a referral: with "Sharing requires an active ROI" on, a program of another organization
needs an ROI in force that names it; the agency's own programs need none; the Part 2 notice in the claimers'
email where the client is Part 2 protected."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.referrals import services
from portal_app.referrals.models import Referral
from portal_app.sharing.part2 import PART2_NOTICE
from tests import factories
from tests.conftest import csrf_token
from tests.referrals.conftest import make_program, send
from tests.roi.helpers import roi_form, signed_roi


@pytest.fixture
def world(people):
    agency = people["admin"].organization
    agency.sharing_requires_roi = True
    client = factories.client(agency, first_name="Maria", last_name="Lopez", zip_code="97401", phone="541-555-0100")
    program = make_program(people["admin"], people["partner"].organization, claimers=[people["partner"]])
    roi_form(people["admin"])
    return client, program


def test_refused_without_an_roi_naming_the_programs_organization(people, world):
    client, program = world
    signed_roi(people["case_manager"], client, [], other="Elsewhere Clinic")  # names someone else only
    with pytest.raises(services.ConsentNeeded) as refused:
        send(people["case_manager"], client, program)
    assert refused.value.status == 409
    assert program.organization.name in str(refused.value) and "Release of Information" in str(refused.value)
    assert db.session.scalar(select(Referral.id).where(Referral.client_id == client.id)) is None


def test_allowed_with_an_active_roi_naming_it(people, world):
    client, program = world
    signed_roi(people["case_manager"], client, [program.organization])
    assert send(people["case_manager"], client, program).status == "requested"


def test_allowed_with_the_setting_off(people, world):
    client, program = world
    people["admin"].organization.sharing_requires_roi = False
    assert send(people["case_manager"], client, program).status == "requested"


def test_the_agencys_own_programs_need_no_roi(people, world):
    client, _ = world
    own = make_program(people["admin"], people["admin"].organization, name="Agency Housing Desk")
    assert send(people["case_manager"], client, own).program_id == own.id


def test_the_connect_form_refuses_and_offers_to_send_the_roi_form(client, auth, people, world):
    seeker, program = world
    factories.access(factories.account("maria.lopez", full_name="Maria Lopez"), seeker, "self")
    auth.login(people["case_manager"])
    url = f"/staff/clients/{seeker.id}/referrals/new?program_id={program.id}"
    page = client.get(url).get_data(as_text=True)
    send_url = f"/staff/clients/{seeker.id}/roi/send"
    assert "not named in one of this client" in page and f'action="{send_url}"' in page
    resp = client.post(url, data={"contact_name": "Maria Lopez", "contact_phone": "541-555-0100",
                                  "best_way": "phone", "contact_language": "en", "csrf_token": csrf_token(client, url)})
    assert resp.status_code == 409 and "Send the Release of Information form" in resp.get_data(as_text=True)
    assert db.session.scalar(select(Referral.id).where(Referral.client_id == seeker.id)) is None
    resp = client.post(send_url, data={"csrf_token": csrf_token(client, url)})
    assert resp.status_code == 302 and "/staff/documents/" in resp.headers["Location"]


def test_claimers_email_carries_the_part2_notice_only_for_a_part2_client(people, world):
    client, program = world
    people["admin"].organization.sharing_requires_roi = False
    client.part2_protected = True
    send(people["case_manager"], client, program)
    plain = factories.client(people["admin"].organization, first_name="Ana", last_name="Diaz")
    send(people["case_manager"], plain, program)
    bodies = [e.body_text for e in db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.to_address == people["partner"].email).order_by(OutboxEmail.id))]
    assert len(bodies) == 2
    assert "42 CFR part 2" in bodies[0] and PART2_NOTICE[:60] in " ".join(bodies[0].split())
    assert "42 CFR part 2" not in bodies[1]
    assert "Maria" not in bodies[0] and "Lopez" not in bodies[0]
