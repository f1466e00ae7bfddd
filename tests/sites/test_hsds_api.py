"""The public HSDS 3.0 API: HSDS shapes (validated against the kept schemas), paging, proximity, bad input."""
from __future__ import annotations

import pytest

from portal_app.programs.hsds.validate import check
from tests.programs.conftest import make_program

PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


@pytest.fixture
def directory(admin, agency, partner_org):
    near = make_program(admin, agency, "Near pantry", ("97401",), categories=["food"], phone="541-555-0100")
    far = make_program(admin, partner_org, "Springfield shelter", ("97477",), capacity="waitlist",
                       capacity_note="About 15 waiting")
    make_program(admin, agency, "Salem clinic", ("97301",))
    return near, far


def test_services_are_hsds_services_paged(client, directory):
    body = client.get("/api/hsds/services?per_page=2").get_json()
    assert set(body) == PAGE_KEYS
    assert (body["total_items"], body["total_pages"], body["size"], body["first_page"], body["last_page"]) == (
        3, 2, 2, True, False)
    for service in body["contents"]:
        check(service, "service.json")
    second = client.get("/api/hsds/services?per_page=2&page=2").get_json()
    assert second["last_page"] and [s["name"] for s in second["contents"]] == ["Springfield shelter"]
    assert [s["name"] for s in client.get("/api/hsds/services?search=PANTRY").get_json()["contents"]] == ["Near pantry"]


def test_service_at_locations_by_postcode_and_proximity(client, directory):
    near, far = directory
    body = client.get("/api/hsds/service_at_locations?postcode=97401&proximity=20000").get_json()
    assert set(body) == PAGE_KEYS
    assert [s["service_id"] for s in body["contents"]] == [near.hsds_id, far.hsds_id]
    for item in body["contents"]:
        check(item, "service_at_location.json")
        assert item["location"]["addresses"][0]["postal_code"] in ("97401", "97477")
    close = client.get("/api/hsds/service_at_locations?postcode=97401&proximity=1000").get_json()
    assert [s["service_id"] for s in close["contents"]] == [near.hsds_id]
    everything = client.get("/api/hsds/service_at_locations").get_json()
    assert everything["total_items"] == 3


@pytest.mark.parametrize("query", ["postcode=00000", "postcode=abc", "postcode=97401&proximity=far",
                                   "postcode=97401&proximity=-5"])
def test_bad_parameters_answer_400(client, directory, query):
    resp = client.get(f"/api/hsds/service_at_locations?{query}")
    assert resp.status_code == 400 and "error" in resp.get_json()


def test_junk_paging_is_clamped_not_an_error(client, directory):
    body = client.get("/api/hsds/services?page=-3&per_page=abc").get_json()
    assert body["page_number"] == 1 and body["size"] == 3


def test_the_api_exposes_program_data_only(client, directory, admin, partner_user):
    text = client.get("/api/hsds/service_at_locations?postcode=97401").get_data(as_text=True)
    text += client.get("/api/hsds/services").get_data(as_text=True)
    for secret in (admin.email, partner_user.email, admin.last_name, "password", "capacity_rank", "version_id"):
        assert secret not in text
    assert "Set-Cookie" not in client.get("/api/hsds/services").headers
