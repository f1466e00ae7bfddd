"""A referral world: the agency's case manager refers a client to a partner program whose claimer is the
partner user; the client has a portal account of their own."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from portal_app.extensions import db
from portal_app.programs import services as program_services
from portal_app.referrals import services
from tests import factories


@dataclass
class RefWorld:
    helper: Any
    claimer: Any
    seeker: Any  # portal account acting for the client
    client: Any
    program: Any
    referral: Any


def make_program(admin, organization, name="Rent Help", zip_code="97401", claimers=()):
    program = program_services.create_program(admin, organization, name=name)
    program_services.add_location(admin, program, postal_code=zip_code, address_1="1 Main St")
    for user in claimers:
        program_services.add_claimer(admin, program, user)
    return program


def send(helper, client, program, **kw):
    data = {"contact_name": f"{client.first_name} {client.last_name}", "contact_phone": "541-555-0100",
            "best_way": "phone", **kw}
    return services.send_referral(helper, client, program, **data)


@pytest.fixture
def ref(people) -> RefWorld:
    agency = people["admin"].organization
    client = factories.client(agency, first_name="Maria", last_name="Lopez", zip_code="97401", phone="541-555-0100")
    program = make_program(people["admin"], people["partner"].organization, claimers=[people["partner"]])
    seeker = factories.account("maria.lopez", full_name="Maria Lopez")
    factories.access(seeker, client, "self")
    referral = send(people["case_manager"], client, program)
    db.session.flush()
    return RefWorld(people["case_manager"], people["partner"], seeker, client, program, referral)
