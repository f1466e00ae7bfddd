"""Changes to programs: create, edit, capacity, locations, claimers. Services flush; the caller commits."""
from __future__ import annotations

from typing import Any

from .. import audit
from ..accounts.models import Organization, User
from ..clock import utcnow
from ..errors import DomainError, Forbidden
from ..extensions import db
from .geo import clean_zip, zip_centroid, zip_place
from .models import CAPACITY_RANK, CATEGORIES, LANGUAGES, Capacity, Location, Program, ProgramLocation, ProgramMember
from .policy import may_manage_program

EDITABLE = ("name", "description", "eligibility", "phone", "email", "url", "schedule")


class ProgramInvalid(DomainError):
    """A field of a program is not acceptable."""


class StaleProgram(DomainError):
    """Someone saved the program after this form was opened."""

    status = 409
    default_message = ("Someone else changed this program after you opened the form, so nothing was saved. "
                       "Your entries are kept below: check them and save again.")


def _check(data: dict[str, Any]) -> None:
    if "name" in data and not (data["name"] or "").strip():
        raise ProgramInvalid("Enter the program's name.", field="name")
    unknown = set(data.get("categories") or []) - CATEGORIES.keys()
    if unknown:
        raise ProgramInvalid("Choose service categories from the list.", field="categories")
    if set(data.get("languages") or []) - LANGUAGES.keys():
        raise ProgramInvalid("Choose languages from the list.", field="languages")
    zips = data.get("area_zips") or []
    if any(clean_zip(z) != z for z in zips):
        raise ProgramInvalid("Service area ZIP codes have five digits, separated by spaces.", field="area_zips")
    radius = data.get("area_radius_miles")
    if radius is not None and not (0 < float(radius) <= 500):
        raise ProgramInvalid("The service radius is between 1 and 500 miles.", field="area_radius_miles")


def _apply(program: Program, data: dict[str, Any]) -> None:
    for key in EDITABLE:
        if key in data:
            setattr(program, key, (data[key] or "").strip())
    for key in ("categories", "languages", "area_zips"):
        if key in data:
            setattr(program, key, list(data[key] or []))
    if "area_radius_miles" in data:
        program.area_radius_miles = float(data["area_radius_miles"]) if data["area_radius_miles"] else None


def create_program(actor: Any, organization: Organization, **data: Any) -> Program:
    """A new program of an organization the actor manages (accepting referrals until told otherwise)."""
    _check({"name": "", **data})
    program = Program(organization=organization, organization_id=organization.id)
    if not may_manage_program(actor, program):
        raise Forbidden
    _apply(program, data)
    set_capacity(actor, program, data.get("capacity", Capacity.ACCEPTING), data.get("capacity_note", ""))
    db.session.add(program)
    db.session.flush()
    audit.record("programs.created", actor, obj=program, details={"name": program.name, "capacity": program.capacity})
    return program


def update_program(actor: Any, program: Program, expected_version: int | None = None, **data: Any) -> Program:
    """Edit the program's description, categories, languages, contact, schedule and service area."""
    if not may_manage_program(actor, program):
        raise Forbidden
    if expected_version is not None and expected_version != program.version_id:
        raise StaleProgram
    _check(data)
    _apply(program, data)
    db.session.flush()
    audit.record("programs.updated", actor, obj=program, details={"fields": sorted(data)})
    return program


def set_capacity(actor: Any, program: Program, capacity: str, note: str = "") -> Program:
    """Accepting / waitlist (with a short note) / not accepting / assessment required; stamped now."""
    if program.id is not None and not may_manage_program(actor, program):
        raise Forbidden
    try:
        value = Capacity(capacity)
    except ValueError:
        raise ProgramInvalid("Choose the program's capacity from the list.", field="capacity") from None
    note = (note or "").strip()
    if len(note) > 200:
        raise ProgramInvalid("Keep the capacity note under 200 characters.", field="capacity_note")
    program.capacity, program.capacity_note = value.value, note
    program.capacity_rank = CAPACITY_RANK[value]
    program.capacity_updated_at = utcnow()
    if program.id is not None:
        db.session.flush()
        audit.record("programs.capacity_changed", actor, obj=program, details={"capacity": value.value, "note": note})
    return program


def add_location(actor: Any, program: Program, *, postal_code: str, name: str = "", address_1: str = "",
                 city: str = "", state: str = "") -> ProgramLocation:
    """A location of the program at an address; latitude/longitude are the ZIP's centroid (offline data)."""
    if not may_manage_program(actor, program):
        raise Forbidden
    code = clean_zip(postal_code)
    center = zip_centroid(code)
    if center is None:
        raise ProgramInvalid("Enter a US ZIP code we know, like 97401.", field="postal_code")
    zip_city, zip_state = zip_place(code)
    name, address_1, city, state = ((v or "").strip() for v in (name, address_1, city, state))
    location = Location(organization_id=program.organization_id, name=(name or program.name)[:200],
                        address_1=address_1[:200], city=(city or zip_city)[:100],
                        state=(state or zip_state)[:40], postal_code=code,
                        latitude=center.latitude, longitude=center.longitude)
    site = ProgramLocation(program=program, location=location)
    db.session.add(site)
    db.session.flush()
    audit.record("programs.location_added", actor, obj=program, details={"postal_code": code})
    return site


def remove_location(actor: Any, program: Program, site: ProgramLocation) -> None:
    """Take a location off the program (the place stays for other programs that use it)."""
    if not may_manage_program(actor, program) or site.program_id != program.id:
        raise Forbidden
    program.sites.remove(site)
    db.session.flush()
    audit.record("programs.location_removed", actor, obj=program, details={"location": site.location_id})


def add_claimer(actor: Any, program: Program, user: User) -> ProgramMember:
    """Make a user of the program's organization one of its claimers."""
    if not may_manage_program(actor, program):
        raise Forbidden
    if user.organization_id != program.organization_id or not user.enabled:
        raise ProgramInvalid("Claimers are people of the program's organization.", field="user_id")
    for member in program.members:
        if member.user_id == user.id:
            return member
    member = ProgramMember(program=program, user=user)
    db.session.add(member)
    db.session.flush()
    audit.record("programs.claimer_added", actor, obj=program, details={"user": user.id})
    return member


def set_claimers(actor: Any, program: Program, users: list[User]) -> None:
    """Exactly these people of the program's organization are its claimers."""
    wanted = {u.id for u in users}
    for member in list(program.members):
        if member.user_id not in wanted:
            remove_claimer(actor, program, member)
    for user in users:
        add_claimer(actor, program, user)


def remove_claimer(actor: Any, program: Program, member: ProgramMember) -> None:
    if not may_manage_program(actor, program) or member.program_id != program.id:
        raise Forbidden
    program.members.remove(member)
    db.session.flush()
    audit.record("programs.claimer_removed", actor, obj=program, details={"user": member.user_id})
