"""Managing programs (policy, loaders) and the directory search by ZIP."""
from __future__ import annotations

import pytest

from portal_app.errors import Forbidden
from portal_app.programs import services
from portal_app.programs.queries import ProgramNotFound, get_program_for, managed_programs
from portal_app.programs.search import DirectoryQuery, UnknownZip, search_directory
from portal_app.programs.services import ProgramInvalid
from tests import factories
from tests.sql import count_statements


def test_admin_manages_own_and_managed_partners_programs_only(make, admin, partner_org, partner_user, agency):
    own, partners = make(agency, "Agency pantry"), make(partner_org, "Partner counseling")
    other_agency = factories.agency("Other Agency")
    other_admin = factories.user(other_agency, role="admin", email="admin@other.test")
    foreign = make_program_as(other_admin, other_agency, "Other agency program")
    assert get_program_for(admin, own.id) is own and get_program_for(admin, partners.id) is partners
    with pytest.raises(ProgramNotFound):
        get_program_for(admin, foreign.id)  # another agency's program: 404, not 403
    with pytest.raises(ProgramNotFound):
        get_program_for(other_admin, own.id)
    with pytest.raises(Forbidden):
        services.update_program(other_admin, own, name="Taken over")
    assert get_program_for(partner_user, partners.id) is partners
    with pytest.raises(ProgramNotFound):
        get_program_for(partner_user, own.id)  # a partner manages only its organization's programs
    assert {p.name for p in managed_programs(admin)} == {"Agency pantry", "Partner counseling"}
    assert [p.name for p in managed_programs(partner_user)] == ["Partner counseling"]


def make_program_as(actor, organization, name):
    program = services.create_program(actor, organization, name=name)
    services.add_location(actor, program, postal_code="97401")
    return program


def test_case_managers_do_not_manage_programs(make, agency, case_manager):
    program = make(agency, "Agency pantry")
    with pytest.raises(ProgramNotFound):
        get_program_for(case_manager, program.id)


def test_claimers_are_people_of_the_programs_organization(make, admin, partner_org, partner_user, case_manager):
    program = make(partner_org, "Partner counseling")
    assert services.add_claimer(partner_user, program, partner_user).user is partner_user
    with pytest.raises(ProgramInvalid) as err:
        services.add_claimer(admin, program, case_manager)
    assert err.value.field == "user_id"


@pytest.mark.parametrize(("data", "field"), [
    ({"name": " "}, "name"), ({"name": "X", "categories": ["spaceships"]}, "categories"),
    ({"name": "X", "languages": ["xx"]}, "languages"), ({"name": "X", "area_zips": ["9740"]}, "area_zips"),
    ({"name": "X", "capacity": "maybe"}, "capacity"), ({"name": "X", "area_radius_miles": 0.0}, "area_radius_miles"),
])
def test_bad_fields_name_the_field(admin, agency, data, field):
    with pytest.raises(ProgramInvalid) as err:
        services.create_program(admin, agency, **data)
    assert err.value.field == field


def test_unknown_location_zip_is_refused(make, admin, agency):
    program = make(agency, "Pantry", zips=())
    with pytest.raises(ProgramInvalid) as err:
        services.add_location(admin, program, postal_code="00000")
    assert err.value.field == "postal_code"


def test_search_sorts_capacity_first_then_distance_and_filters(make, agency, partner_org):
    make(agency, "Near full", ("97401",), capacity="not_accepting", categories=["food"], languages=["en"])
    make(agency, "Far open", ("97477",), categories=["food"], languages=["en", "es"])  # Springfield
    make(agency, "Near open", ("97401",), categories=["food", "housing"], languages=["en"])
    make(partner_org, "Waitlisted", ("97402",), capacity="waitlist", capacity_note="4-6 weeks", categories=["health"])
    make(agency, "Salem", ("97301",), categories=["food"])  # about 60 miles away
    result = search_directory(DirectoryQuery("97401", miles=25))
    assert [h.program.name for h in result.hits] == ["Near open", "Far open", "Waitlisted", "Near full"]
    assert result.total == 4 and result.hits[0].miles < result.hits[1].miles
    names = lambda **kw: [h.program.name for h in search_directory(DirectoryQuery("97401", **kw)).hits]  # noqa: E731
    assert names(category="housing") == ["Near open"]
    assert names(language="es") == ["Far open"]
    assert names(accepting_only=True) == ["Near open", "Far open"]
    assert names(miles=2) == ["Near open", "Near full"]
    assert "Salem" in names(miles=100)
    page2 = search_directory(DirectoryQuery("97401", page=2, per_page=3))
    assert [h.program.name for h in page2.hits] == ["Near full"] and not page2.has_next


def test_service_area_limits_results(make, agency):
    make(agency, "Springfield only", ("97477",), area_zips=["97477", "97478"])
    make(agency, "Within 2 miles", ("97477",), area_radius_miles=2.0)
    assert [h.program.name for h in search_directory(DirectoryQuery("97477")).hits] == [
        "Springfield only", "Within 2 miles"]
    assert search_directory(DirectoryQuery("97401")).hits == []


@pytest.mark.parametrize("zip_code", ["", "abcde", "00000", "9740", "97401'; --"])
def test_unknown_zip_is_refused(zip_code):
    with pytest.raises(UnknownZip):
        search_directory(DirectoryQuery(zip_code))


@pytest.mark.parametrize("n", [3, 30])
def test_search_query_count_is_bounded(make, agency, n):
    for i in range(n):
        make(agency, f"Program {i}", ("97401", "97402"))
    with count_statements() as statements:
        result = search_directory(DirectoryQuery("97401", per_page=25))
        _ = [(h.program.organization.name, h.location.city) for h in result.hits]
    assert len(result.hits) == min(n, 25)
    assert len(statements) <= 4, statements


def test_changes_to_programs_are_audited(make, admin, agency):
    from sqlalchemy import select

    from portal_app.audit import AuditEvent
    from portal_app.extensions import db

    program = make(agency, "Audited pantry")
    services.set_capacity(admin, program, "waitlist", "About 2 weeks")
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "Program",
                                                                 AuditEvent.object_id == str(program.id))).all()
    assert {"programs.created", "programs.location_added", "programs.capacity_changed"} <= set(actions)
