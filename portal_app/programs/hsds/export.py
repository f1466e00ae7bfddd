"""Programs as HSDS 3.0: the tabular data package (one list per table) and the API's service shapes."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ...accounts.models import Organization
from ...extensions import db
from ..models import CATEGORIES, LANGUAGES, Capacity, Location, Program, ProgramLocation

NAMESPACE = uuid.UUID("6f1c1e52-3a57-4d7e-9a64-0c2f5b0e7e14")  # Caseport's: stable ids for derived rows
CATEGORY_TAXONOMY = "Caseport service categories"
CAPACITY_TAXONOMY = "Caseport capacity"


def derived_id(*parts: object) -> str:
    """A stable UUID for a row Caseport does not store with its own id (phone, language, attribute ...)."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def organization_id(organization: Organization) -> str:
    return derived_id("organization", organization.id)


def organization_row(organization: Organization) -> dict[str, Any]:
    row = {"id": organization_id(organization), "name": organization.name, "description": organization.name}
    if organization.contact_email:
        row["email"] = organization.contact_email
    return row


def taxonomy_rows() -> tuple[list[dict], list[dict]]:
    """The two taxonomies Caseport's attributes point to, and their terms."""
    taxonomies = [{"id": derived_id("taxonomy", name), "name": name, "description": name}
                  for name in (CATEGORY_TAXONOMY, CAPACITY_TAXONOMY)]
    terms = [{"id": derived_id("term", "category", code), "code": code, "name": label, "description": label,
              "taxonomy": CATEGORY_TAXONOMY, "taxonomy_id": taxonomies[0]["id"]} for code, label in CATEGORIES.items()]
    terms += [{"id": derived_id("term", "capacity", c.value), "code": c.value, "name": c.label, "description": c.label,
               "taxonomy": CAPACITY_TAXONOMY, "taxonomy_id": taxonomies[1]["id"]} for c in Capacity]
    return taxonomies, terms


def service_row(program: Program) -> dict[str, Any]:
    """A program's one-to-one HSDS service fields (the /services list shape)."""
    row: dict[str, Any] = {
        "id": program.hsds_id, "organization_id": organization_id(program.organization), "name": program.name,
        "description": program.description, "status": "active" if program.active else "inactive",
        "eligibility_description": program.eligibility,
        "last_modified": program.updated_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }
    if program.capacity == Capacity.WAITLIST and program.capacity_note:
        row["wait_time"] = program.capacity_note
    for key in ("email", "url"):
        if getattr(program, key):
            row[key] = getattr(program, key)
    return row


def service_children(program: Program) -> dict[str, list[dict]]:
    """The program's phones, languages, schedule, service areas and attributes as HSDS rows."""
    pid = program.hsds_id
    phones = [{"id": derived_id("phone", pid), "service_id": pid, "number": program.phone}] if program.phone else []
    languages = [{"id": derived_id("language", pid, code), "service_id": pid, "code": code,
                  "name": LANGUAGES.get(code, code)} for code in program.languages]
    schedules = ([{"id": derived_id("schedule", pid), "service_id": pid, "description": program.schedule}]
                 if program.schedule else [])
    areas = []
    if program.area_zips:
        areas.append({"id": derived_id("area", pid, "zips"), "service_id": pid, "name": "ZIP codes",
                      "extent": " ".join(program.area_zips), "extent_type": "text"})
    if program.area_radius_miles:
        areas.append({"id": derived_id("area", pid, "radius"), "service_id": pid, "name": "Radius",
                      "description": f"{program.area_radius_miles:g} miles from the program's locations",
                      "extent": f"{program.area_radius_miles:g} mi", "extent_type": "text"})
    attributes = [{"id": derived_id("attribute", pid, "category", code), "link_id": pid, "link_type": "service",
                   "link_entity": "service", "taxonomy_term_id": derived_id("term", "category", code)}
                  for code in program.categories]
    attributes.append({"id": derived_id("attribute", pid, "capacity"), "link_id": pid, "link_type": "capacity",
                       "link_entity": "service", "taxonomy_term_id": derived_id("term", "capacity", program.capacity),
                       "value": program.capacity_note})
    return {"phone": phones, "language": languages, "schedule": schedules, "service_area": areas,
            "attribute": attributes}


def location_rows(location: Location) -> tuple[dict, dict]:
    """(HSDS location, its physical address)."""
    loc = {"id": location.hsds_id, "location_type": "physical", "organization_id": organization_id(location.organization),
           "name": location.name, "latitude": location.latitude, "longitude": location.longitude}
    address = {"id": location.address_hsds_id, "location_id": location.hsds_id, "address_1": location.address_1 or "-",
               "city": location.city, "state_province": location.state, "postal_code": location.postal_code,
               "country": "US", "address_type": "physical"}
    return loc, address


def nested_location(location: Location) -> dict[str, Any]:
    loc, address = location_rows(location)
    return {**loc, "addresses": [address]}


def export_package() -> dict[str, list[dict]]:
    """Every active program with its organization, locations and children, one list per HSDS table."""
    programs = db.session.scalars(
        select(Program).options(joinedload(Program.organization), selectinload(Program.sites)
                                .joinedload(ProgramLocation.location).joinedload(Location.organization))
        .order_by(Program.id)).unique().all()
    taxonomies, terms = taxonomy_rows()
    package: dict[str, list[dict]] = {"organization": [], "service": [], "location": [], "address": [],
                                      "service_at_location": [], "phone": [], "language": [], "schedule": [],
                                      "service_area": [], "attribute": [], "taxonomy": taxonomies,
                                      "taxonomy_term": terms}
    organizations: dict[int, Organization] = {}
    locations: dict[int, Location] = {}
    for program in programs:
        organizations[program.organization_id] = program.organization
        package["service"].append(service_row(program))
        for table, rows in service_children(program).items():
            package[table].extend(rows)
        for site in program.sites:
            locations[site.location_id] = site.location
            organizations[site.location.organization_id] = site.location.organization
            package["service_at_location"].append({"id": site.hsds_id, "service_id": program.hsds_id,
                                                   "location_id": site.location.hsds_id})
    package["organization"] = [organization_row(o) for o in organizations.values()]
    for location in locations.values():
        loc, address = location_rows(location)
        package["location"].append(loc)
        package["address"].append(address)
    return package
