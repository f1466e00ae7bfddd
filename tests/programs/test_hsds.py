"""HSDS 3.0: a third-party data package imports (idempotently), exports again, and the export validates."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal_app.extensions import db
from portal_app.programs.hsds.export import export_package
from portal_app.programs.hsds.importer import import_package, read_package
from portal_app.programs.hsds.validate import HsdsInvalid, check
from portal_app.programs.models import Location, Program, ProgramLocation

FIXTURE = Path(__file__).parent / "fixtures" / "lane_county_211.json"
PANTRY = "7c4d3a20-1111-4c3e-8d55-6b2a0c9e0a01"
SHELTER = "7c4d3a20-1111-4c3e-8d55-6b2a0c9e0a02"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _program(hsds_id: str) -> Program:
    return db.session.scalar(select(Program).where(Program.hsds_id == hsds_id))


def test_third_party_package_imports_into_the_directory(agency):
    counts = import_package(read_package(FIXTURE), agency)
    assert counts == {"services": 2, "locations": 2, "service_at_locations": 2, "skipped_locations": 0}
    pantry, shelter = _program(PANTRY), _program(SHELTER)
    assert pantry.organization.name == "Lane County Food Alliance"
    assert pantry.organization.managing_agency_id == agency.id
    assert pantry.languages == ["en", "es"] and pantry.categories == ["food"] and pantry.phone == "541-555-0101"
    assert pantry.schedule == "Tuesdays and Thursdays 10-2" and pantry.capacity == "accepting"
    assert shelter.capacity == "waitlist" and shelter.capacity_note.startswith("About 15 families")
    assert shelter.categories == ["housing"] and "97477" in shelter.area_zips
    springfield = shelter.locations[0]  # no coordinates in the package: the ZIP's centroid
    assert springfield.postal_code == "97477" and 43.9 < springfield.latitude < 44.2


def test_importing_again_updates_and_never_duplicates(agency):
    import_package(read_package(FIXTURE), agency)
    package = read_package(FIXTURE)
    package["service"][0]["name"] = "Whiteaker Pantry (renamed)"
    import_package(package, agency)
    assert (_count(Program), _count(Location), _count(ProgramLocation)) == (2, 2, 2)
    assert _program(PANTRY).name == "Whiteaker Pantry (renamed)"


def test_export_validates_and_round_trips(agency, tmp_path):
    import_package(read_package(FIXTURE), agency)
    exported = export_package()
    check(exported)  # the official tabular schema, kept in the repository
    assert {s["id"] for s in exported["service"]} == {PANTRY, SHELTER}
    assert {s["id"] for s in exported["service_at_location"]} == {
        "1f0e9d8c-0007-4f00-9e00-000000000001", "1f0e9d8c-0007-4f00-9e00-000000000002"}
    shelter = next(s for s in exported["service"] if s["id"] == SHELTER)
    assert shelter["wait_time"].startswith("About 15 families")
    # Our own export imports back unchanged (the capacity travels as an attribute of a Caseport taxonomy).
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported))
    assert import_package(read_package(path))["services"] == 2
    assert _count(Program) == 2 and _program(SHELTER).capacity == "waitlist"


def test_csv_zip_export_imports_back(app, agency, tmp_path):
    from portal_app.programs.packages import write_csv_zip

    import_package(read_package(FIXTURE), agency)
    target = tmp_path / "hsds.zip"
    write_csv_zip(export_package(), target)
    package = read_package(target)
    check(package)
    assert {s["id"] for s in package["service"]} == {PANTRY, SHELTER}
    assert import_package(package)["locations"] == 2 and _count(Location) == 2


@pytest.mark.parametrize("broken", [
    {"service": [{"id": "x", "name": "No status"}]},
    {"service": [{"id": "x", "name": "Bad", "status": "open"}]},
    {"location": [{"id": "l", "location_type": "physical", "latitude": "north"}]},
])
def test_invalid_packages_are_refused_and_nothing_is_written(broken):
    with pytest.raises(HsdsInvalid):
        import_package(broken)
    assert _count(Program) == 0 and _count(Location) == 0


def test_cli_import_and_export(app, agency, tmp_path):
    from portal_app.cli import programs_cli

    runner = app.test_cli_runner()
    result = runner.invoke(programs_cli, ["import", str(FIXTURE), "--agency", agency.name])
    assert result.exit_code == 0, result.output
    assert "Imported 2 services, 2 locations" in result.output
    out = tmp_path / "out.json"
    result = runner.invoke(programs_cli, ["export", str(out)])
    assert result.exit_code == 0, result.output
    check(json.loads(out.read_text()))
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    result = runner.invoke(programs_cli, ["import", str(bad)])
    assert result.exit_code != 0 and "JSON object" in result.output
