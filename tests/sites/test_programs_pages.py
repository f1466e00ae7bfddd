"""Programs pages (staff Account Administration > Programs, partner Programs) and the staff directory search."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.extensions import db
from portal_app.programs.models import Program
from tests.conftest import csrf_token
from tests.programs.conftest import make_program

SITES = {"staff": ("admin", "/staff/admin/programs"), "partner": ("partner_user", "/partner/programs")}


def _program(name: str) -> Program | None:
    return db.session.scalar(select(Program).where(Program.name == name))


@pytest.mark.parametrize("site", sorted(SITES))
def test_add_a_program_set_capacity_and_add_a_location(client, auth, people, partner_org, site, request):
    who, base = SITES[site]
    actor = request.getfixturevalue(who)
    auth.login(actor)
    token = csrf_token(client, f"{base}/new")
    resp = client.post(f"{base}/new", data={"csrf_token": token, "organization_id": str(partner_org.id),
                                             "name": "Food box", "categories": ["food"], "languages": ["en", "es"],
                                             "capacity": "waitlist", "capacity_note": "About 15 waiting, 4-6 weeks"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    program = _program("Food box")
    assert program.organization_id == partner_org.id and program.capacity == "waitlist"
    assert program.languages == ["en", "es"]
    edit = resp.headers["Location"]
    page = client.get(edit).get_data(as_text=True)
    assert "About 15 waiting" in page and "Add a location" in page
    resp = client.post(f"{edit}/locations", data={"csrf_token": token, "address_1": "99 W 10th Ave",
                                                  "postal_code": "97401"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert [loc.city for loc in _program("Food box").locations] == ["Eugene"]
    resp = client.post(edit, data={"csrf_token": token, "name": "Food box", "capacity": "accepting",
                                   "version_id": str(program.version_id)})
    assert resp.status_code == 302
    db.session.expire_all()
    assert _program("Food box").capacity == "accepting"


@pytest.mark.parametrize(("data", "message"), [
    ({"name": ""}, "Enter the program&#39;s name."),
    ({"area_zips": "97401 9740"}, "List five-digit ZIP codes"),
    ({"capacity": "maybe"}, "Choose the program&#39;s capacity."),
    ({"categories": ["spaceships"]}, "not a valid choice"),
    ({"area_radius_miles": "lots"}, "Not a valid decimal value"),
    ({"email": "nope"}, "Enter a valid email address"),
])
def test_bad_fields_answer_422_beside_the_field(client, auth, admin, agency, data, message):
    auth.login(admin)
    token = csrf_token(client, "/staff/admin/programs/new")
    form = {"csrf_token": token, "organization_id": str(agency.id), "name": "X", "capacity": "accepting", **data}
    resp = client.post("/staff/admin/programs/new", data=form)
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)


def test_unknown_location_zip_answers_422(client, auth, admin, agency):
    program = make_program(admin, agency, "Pantry", ())
    auth.login(admin)
    token = csrf_token(client, f"/staff/admin/programs/{program.id}")
    resp = client.post(f"/staff/admin/programs/{program.id}/locations",
                       data={"csrf_token": token, "address_1": "1 Main", "postal_code": "00000"})
    assert resp.status_code == 422 and "We do not know this ZIP code" in resp.get_data(as_text=True)


def test_stale_edit_answers_409(client, auth, admin, agency):
    program = make_program(admin, agency, "Pantry")
    auth.login(admin)
    token = csrf_token(client, f"/staff/admin/programs/{program.id}")
    resp = client.post(f"/staff/admin/programs/{program.id}", data={
        "csrf_token": token, "name": "Mine", "capacity": "accepting", "version_id": str(program.version_id + 5)})
    assert resp.status_code == 409 and "Someone else changed this program" in resp.get_data(as_text=True)


def test_partner_lists_only_its_own_programs(client, auth, admin, agency, partner_org, partner_user):
    make_program(admin, agency, "Agency pantry")
    make_program(admin, partner_org, "Partner counseling")
    auth.login(partner_user)
    page = client.get("/partner/programs").get_data(as_text=True)
    assert "Partner counseling" in page and "Agency pantry" not in page


def test_directory_search_shows_distance_and_capacity(client, auth, admin, case_manager, agency, partner_org):
    make_program(admin, agency, "Near pantry", ("97401",), categories=["food"])
    make_program(admin, partner_org, "Springfield shelter", ("97477",), capacity="waitlist", capacity_note="4-6 weeks")
    auth.login(case_manager)
    assert "Directory" in client.get("/staff/").get_data(as_text=True)
    page = client.get("/staff/directory?zip=97401&miles=25").get_data(as_text=True)
    assert page.index("Near pantry") < page.index("Springfield shelter")
    assert "Accepting referrals" in page and "Waitlist" in page and " mi" in page
    fragment = client.get("/staff/directory?zip=97401&category=food", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and "Near pantry" in body and "Springfield shelter" not in body
    assert "HX-Request" in fragment.headers.get("Vary", "")


@pytest.mark.parametrize("query", ["zip=abcde", "zip=00000", "zip=97401&miles=9999", "zip=97401&category=<x>",
                                   "zip=97401&page=-1"])
def test_directory_bad_input_is_4xx_never_500(client, auth, case_manager, query):
    auth.login(case_manager)
    resp = client.get(f"/staff/directory?{query}")
    assert resp.status_code in (200, 422)
    if "page" not in query:
        assert resp.status_code == 422


def test_partner_chooses_claimers_among_its_people(client, auth, admin, partner_org, partner_user, case_manager):
    from tests import factories

    colleague = factories.user(partner_org, role="partner", email="colleague@partner.test")
    program = make_program(admin, partner_org, "Partner counseling")
    auth.login(partner_user)
    url = f"/partner/programs/{program.id}"
    page = client.get(url).get_data(as_text=True)
    assert "colleague@partner.test" in page and case_manager.email not in page
    token = csrf_token(client, url)
    resp = client.post(f"{url}/claimers", data={"csrf_token": token, "user_ids": [str(partner_user.id),
                                                                                  str(colleague.id)]})
    assert resp.status_code == 302
    db.session.expire_all()
    assert {m.user_id for m in _program("Partner counseling").members} == {partner_user.id, colleague.id}
    resp = client.post(f"{url}/claimers", data={"csrf_token": token, "user_ids": [str(case_manager.id)]})
    assert resp.status_code == 422  # not a person of the program's organization
    resp = client.post(f"{url}/claimers", data={"csrf_token": token, "user_ids": [str(colleague.id)]})
    db.session.expire_all()
    assert [m.user_id for m in _program("Partner counseling").members] == [colleague.id]
