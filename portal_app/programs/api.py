"""The read-only HSDS 3.0 API's data: pages of services and services at locations (program data only)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..paging import MAX_PER_PAGE, PER_PAGE, clamp_page
from .geo import METERS_PER_MILE
from .hsds.export import nested_location, service_row
from .models import Location, Program, ProgramLocation
from .search import MAX_MILES, DirectoryQuery, search_directory


class BadParameter(ValueError):
    """A query parameter the API cannot use; answered 400 with this message."""


def page_args(args: Any) -> tuple[int, int]:
    try:
        per_page = int(args.get("per_page", PER_PAGE))
    except ValueError:
        per_page = PER_PAGE
    return clamp_page(args.get("page", 1)), min(max(per_page, 1), MAX_PER_PAGE)


def hsds_page(contents: list[dict], total: int, page: int, per_page: int) -> dict[str, Any]:
    """The HSDS API's Page shape around `contents`."""
    pages = max(1, -(-total // per_page))
    return {"total_items": total, "total_pages": pages, "page_number": page, "size": len(contents),
            "first_page": page == 1, "last_page": page >= pages, "empty": total == 0, "contents": contents}


def services_page(args: Any) -> dict[str, Any]:
    """/services: active programs by name, one-to-one fields; ?search= matches the name."""
    page, per_page = page_args(args)
    stmt = select(Program).where(Program.active.is_(True))
    search = (args.get("search") or "").strip()[:100]
    if search:
        stmt = stmt.where(func.lower(Program.name).contains(search.lower(), autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    programs = db.session.scalars(stmt.options(joinedload(Program.organization)).order_by(Program.name, Program.id)
                                  .limit(per_page).offset((page - 1) * per_page)).all()
    return hsds_page([service_row(p) for p in programs], total, page, per_page)


def _site_row(site_id: str, program: Program, location: Location) -> dict[str, Any]:
    return {"id": site_id, "service_id": program.hsds_id, "location_id": location.hsds_id,
            "description": program.name, "location": nested_location(location)}


def service_at_locations_page(args: Any) -> dict[str, Any]:
    """/service_at_locations: nearest first within ?proximity= meters of the ?postcode= centroid."""
    page, per_page = page_args(args)
    postcode = (args.get("postcode") or "").strip()
    if postcode:
        try:
            meters = float(args.get("proximity") or MAX_MILES * METERS_PER_MILE)
        except ValueError:
            raise BadParameter("proximity is a distance in meters.") from None
        if not meters > 0:
            raise BadParameter("proximity is a distance in meters.")
        from .search import UnknownZip

        try:
            result = search_directory(DirectoryQuery(postcode, miles=min(meters / METERS_PER_MILE, MAX_MILES),
                                                     page=page, per_page=per_page))
        except UnknownZip:
            raise BadParameter("postcode is not a US ZIP code we know.") from None
        sites = _site_ids([(h.program.id, h.location.id) for h in result.hits])
        contents = [_site_row(sites[(h.program.id, h.location.id)], h.program, h.location) for h in result.hits]
        return hsds_page(contents, result.total, page, per_page)
    stmt = select(ProgramLocation).join(Program).where(Program.active.is_(True))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    sites = db.session.scalars(stmt.options(joinedload(ProgramLocation.program).joinedload(Program.organization),
                                            joinedload(ProgramLocation.location).joinedload(Location.organization))
                               .order_by(ProgramLocation.id).limit(per_page).offset((page - 1) * per_page)).all()
    return hsds_page([_site_row(s.hsds_id, s.program, s.location) for s in sites], total, page, per_page)


def _site_ids(pairs: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    if not pairs:
        return {}
    rows = db.session.execute(select(ProgramLocation.program_id, ProgramLocation.location_id, ProgramLocation.hsds_id)
                              .where(ProgramLocation.program_id.in_([p for p, _ in pairs])))
    return {(r.program_id, r.location_id): r.hsds_id for r in rows}
