"""`flask programs import`: an HSDS 3.0 data package (JSON, or the CSV tables in a zip) into the directory.

Idempotent by HSDS id: a service, location or service_at_location already imported is updated in place.
Organizations are matched by name (case-insensitive) and created as partner organizations otherwise.
"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ...accounts.models import Organization, OrganizationKind
from ...extensions import db
from ..geo import clean_zip, zip_centroid
from ..models import CAPACITY_RANK, CATEGORIES, LANGUAGES, Capacity, Location, Program, ProgramLocation
from .validate import HsdsInvalid, check, tabular_schema

NESTED = {"phones": "phone", "languages": "language", "schedules": "schedule", "service_areas": "service_area",
          "attributes": "attribute", "service_at_locations": "service_at_location"}
LANGUAGE_NAMES = {name.lower(): code for code, name in LANGUAGES.items()}
CATEGORY_NAMES = {label.lower(): code for code, label in CATEGORIES.items()}


def _typed(value: str, kind: str | None) -> Any:
    if kind == "number":
        return float(value)
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        return value.strip().lower() in ("true", "1", "yes")
    return value


def read_csv_zip(data: bytes) -> dict[str, list[dict]]:
    """The CSV tables of a zipped HSDS package, typed by the tabular schema (empty cells left out)."""
    tables = tabular_schema()["properties"]
    package: dict[str, list[dict]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = {Path(n).name: n for n in archive.namelist()}
        for table, spec in tables.items():
            member = names.get(spec["items"]["path"])
            if member is None:
                continue
            props = spec["items"]["properties"]
            text = archive.read(member).decode("utf-8-sig")
            try:
                package[table] = [{k: _typed(v, props.get(k, {}).get("type")) for k, v in row.items()
                                   if k and v not in (None, "")} for row in csv.DictReader(io.StringIO(text))]
            except ValueError as err:
                raise HsdsInvalid(f"{member}: a value is not of its column's type ({err}).") from None
    return package


def read_package(path: str | Path) -> dict[str, list[dict]]:
    """A data package from a .json file or a .zip of CSV tables."""
    data = Path(path).read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)):
        return read_csv_zip(data)
    try:
        package = json.loads(data)
    except ValueError as err:
        raise HsdsInvalid(f"Not JSON: {err}") from None
    if not isinstance(package, dict):
        raise HsdsInvalid("An HSDS data package is a JSON object with one list per table.")
    return package


def _flatten(package: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Move a service's nested lists (phones, languages ...) into their tables, linked by service_id."""
    flat = defaultdict(list, {k: list(v) for k, v in package.items() if isinstance(v, list)})
    for service in flat.get("service", []):
        for key, table in NESTED.items():
            for child in service.get(key) or []:
                link = "link_id" if table == "attribute" else "service_id"
                flat[table].append({link: service["id"], **child})
    return flat


def _organization(row: dict | None, fallback_name: str, agency: Organization | None) -> Organization:
    name = ((row or {}).get("name") or fallback_name).strip()[:200]
    found = db.session.scalar(select(Organization).where(func.lower(Organization.name) == name.lower()))
    if found is None:
        found = Organization(kind=OrganizationKind.PARTNER, name=name, contact_email=(row or {}).get("email", "")[:254],
                             managing_agency_id=agency.id if agency else None)
        db.session.add(found)
        db.session.flush()
    return found


def _capacity(service: dict, attributes: list[dict], terms: dict[str, dict]) -> tuple[Capacity, str]:
    for attribute in attributes:
        code = (terms.get(attribute.get("taxonomy_term_id", ""), {}).get("code") or "").lower()
        if code in {c.value for c in Capacity}:
            return Capacity(code), (attribute.get("value") or "")[:200]
    if service.get("status") == "temporarily closed":
        return Capacity.NOT_ACCEPTING, ""
    if service.get("wait_time"):
        return Capacity.WAITLIST, service["wait_time"][:200]
    return Capacity.ACCEPTING, ""


def _categories(attributes: list[dict], terms: dict[str, dict]) -> list[str]:
    found = []
    for attribute in attributes:
        term = terms.get(attribute.get("taxonomy_term_id", ""), {})
        code = (term.get("code") or "").lower()
        found.append(code if code in CATEGORIES else CATEGORY_NAMES.get((term.get("name") or "").lower()))
    return [c for c in found if c]


def _area(areas: list[dict]) -> tuple[list[str], float | None]:
    zips, radius = [], None
    for area in areas:
        text = " ".join(str(area.get(k, "")) for k in ("extent", "description", "name"))
        mi = re.search(r"(\d+(?:\.\d+)?)\s*(?:mi\b|miles)", text)
        if mi:
            radius = float(mi.group(1))
        else:
            zips += re.findall(r"\b\d{5}\b", text)
    return zips, radius


def import_package(package: dict, agency: Organization | None = None) -> dict[str, int]:
    """Validate, then upsert services, locations and service_at_locations; returns counts."""
    check(package)
    flat = _flatten(package)
    by = lambda table, key: _group(flat.get(table, []), key)  # noqa: E731
    orgs = {row["id"]: row for row in flat.get("organization", [])}
    terms = {row["id"]: row for row in flat.get("taxonomy_term", [])}
    phones, languages, schedules = by("phone", "service_id"), by("language", "service_id"), by("schedule", "service_id")
    areas, attributes, addresses = by("service_area", "service_id"), by("attribute", "link_id"), by("address", "location_id")
    counts = {"services": 0, "locations": 0, "service_at_locations": 0, "skipped_locations": 0}
    programs: dict[str, Program] = {}
    for row in flat.get("service", []):
        program = db.session.scalar(select(Program).where(Program.hsds_id == row["id"])) or Program(hsds_id=row["id"])
        program.organization = _organization(orgs.get(row.get("organization_id")), row["name"], agency)
        program.name, program.description = row["name"][:200], row.get("description", "")
        program.eligibility = row.get("eligibility_description", "")
        program.email, program.url = row.get("email", "")[:254], row.get("url", "")[:400]
        program.active = row.get("status", "active") == "active" or row.get("status") == "temporarily closed"
        program.phone = next((p["number"][:40] for p in phones[row["id"]]), "")
        codes = [(lang.get("code") or LANGUAGE_NAMES.get((lang.get("name") or "").lower(), "")).lower()[:2]
                 for lang in languages[row["id"]]]
        program.languages = [c for c in codes if c]
        program.schedule = "; ".join(s.get("description") or s.get("notes") or "" for s in schedules[row["id"]])[:400]
        program.area_zips, program.area_radius_miles = _area(areas[row["id"]])
        program.categories = _categories(attributes[row["id"]], terms)
        capacity, note = _capacity(row, attributes[row["id"]], terms)
        if program.capacity != capacity or program.capacity_note != note or program.id is None:
            program.capacity, program.capacity_note, program.capacity_rank = capacity.value, note, CAPACITY_RANK[capacity]
        db.session.add(program)
        programs[row["id"]] = program
        counts["services"] += 1
    db.session.flush()
    locations = _import_locations(flat, orgs, addresses, agency, counts)
    for row in flat.get("service_at_location", []):
        program, location = programs.get(row.get("service_id")), locations.get(row.get("location_id"))
        if program is None or location is None:
            continue
        site = db.session.scalar(select(ProgramLocation).where(ProgramLocation.hsds_id == row["id"]))
        if site is None:
            db.session.add(ProgramLocation(hsds_id=row["id"], program=program, location=location))
        else:
            site.program, site.location = program, location
        counts["service_at_locations"] += 1
    db.session.flush()
    return counts


def _group(rows: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row.get(key, "")].append(row)
    return grouped


def _import_locations(flat, orgs, addresses, agency, counts) -> dict[str, Location]:
    locations: dict[str, Location] = {}
    service_org = {s["id"]: s.get("organization_id", "") for s in flat.get("service", [])}
    service_orgs = {sal.get("location_id"): service_org.get(sal.get("service_id"), "")
                    for sal in flat.get("service_at_location", [])}
    for row in flat.get("location", []):
        address = next(iter(addresses[row["id"]]), {})
        postal = clean_zip(address.get("postal_code")) or ""
        lat, lon = row.get("latitude"), row.get("longitude")
        if lat is None or lon is None:
            center = zip_centroid(postal)
            if center is None:
                counts["skipped_locations"] += 1  # nowhere to put it on the map
                continue
            lat, lon = center.latitude, center.longitude
        location = db.session.scalar(select(Location).where(Location.hsds_id == row["id"])) or Location(hsds_id=row["id"])
        owner = orgs.get(row.get("organization_id")) or orgs.get(service_orgs.get(row["id"], ""))
        location.organization = _organization(owner, row.get("name") or "Unnamed location", agency)
        location.name, location.latitude, location.longitude = (row.get("name") or "")[:200], float(lat), float(lon)
        location.address_1, location.city = address.get("address_1", "")[:200], address.get("city", "")[:100]
        location.state, location.postal_code = address.get("state_province", "")[:40], postal
        if address.get("id"):
            location.address_hsds_id = address["id"]
        db.session.add(location)
        locations[row["id"]] = location
        counts["locations"] += 1
    db.session.flush()
    return locations
