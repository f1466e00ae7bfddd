"""Directory search by ZIP: a bounding box on indexed latitude/longitude, then the distance, in SQL.

The distance is the equirectangular one (x scaled by cos(latitude) of the ZIP centroid), computed
with plain arithmetic so SQLite and PostgreSQL answer alike without trigonometric SQL functions;
within the 100-mile search limit it differs from the great-circle distance by well under 1%.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..paging import MAX_PER_PAGE, PER_PAGE, clamp_page
from .geo import MILES_PER_DEGREE_LAT, Point, bounding_box, clean_zip, miles_per_degree_lon, zip_centroid
from .models import Capacity, Location, Program, ProgramLocation

MAX_MILES = 100.0
DEFAULT_MILES = 25.0


class UnknownZip(ValueError):
    """The ZIP code is malformed or not in the ZIP data set."""


@dataclass
class DirectoryQuery:
    zip_code: str
    miles: float = DEFAULT_MILES
    category: str | None = None
    language: str | None = None
    accepting_only: bool = False
    page: int = 1
    per_page: int = PER_PAGE


@dataclass
class Hit:
    program: Program
    location: Location
    miles: float


@dataclass
class DirectoryResult:
    center: Point
    hits: list[Hit]
    page: int
    per_page: int
    total: int
    query: DirectoryQuery = field(repr=False)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _distance2(center: Point):
    """Squared distance in miles from the centroid, as a SQL expression over Location's columns."""
    kx, ky = miles_per_degree_lon(center.latitude), MILES_PER_DEGREE_LAT
    dx = (Location.longitude - literal(center.longitude)) * literal(kx)
    dy = (Location.latitude - literal(center.latitude)) * literal(ky)
    return dx * dx + dy * dy


def _candidates(q: DirectoryQuery, center: Point, zip_code: str):
    """(program id, capacity rank, squared miles to its nearest location) of every matching program."""
    miles = min(max(float(q.miles), 0.5), MAX_MILES)
    min_lat, max_lat, min_lon, max_lon = bounding_box(center, miles)
    d2 = _distance2(center)
    stmt = (select(Program.id.label("program_id"), Program.capacity_rank.label("rank"), func.min(d2).label("d2"))
            .select_from(Location)
            .join(ProgramLocation, ProgramLocation.location_id == Location.id)
            .join(Program, Program.id == ProgramLocation.program_id)
            .where(Location.latitude.between(min_lat, max_lat), Location.longitude.between(min_lon, max_lon),
                   d2 <= miles * miles, Program.active.is_(True),
                   or_(Program.area_zips_text == "", Program.area_zips_text.contains(zip_code)),
                   or_(Program.area_radius_miles.is_(None), d2 <= Program.area_radius_miles * Program.area_radius_miles))
            .group_by(Program.id, Program.capacity_rank))
    if q.category:
        stmt = stmt.where(Program.categories_text.contains(f"|{q.category}|"))
    if q.language:
        stmt = stmt.where(Program.languages_text.contains(f"|{q.language}|"))
    if q.accepting_only:
        stmt = stmt.where(Program.capacity.in_([Capacity.ACCEPTING, Capacity.ASSESSMENT]))
    return stmt


def search_directory(q: DirectoryQuery) -> DirectoryResult:
    """Programs near a ZIP code, those with capacity first, then by distance; three queries a page."""
    zip_code = clean_zip(q.zip_code)
    center = zip_centroid(zip_code)
    if zip_code is None or center is None:
        raise UnknownZip(q.zip_code)
    per_page = min(max(int(q.per_page), 1), MAX_PER_PAGE)
    page = clamp_page(q.page)
    candidates = _candidates(q, center, zip_code).subquery()
    total = db.session.scalar(select(func.count()).select_from(candidates)) or 0
    rows = db.session.execute(
        select(candidates.c.program_id, candidates.c.d2)
        .order_by(candidates.c.rank, candidates.c.d2, candidates.c.program_id)
        .limit(per_page).offset((page - 1) * per_page)).all()
    ids = [row.program_id for row in rows]
    programs = {p.id: p for p in db.session.scalars(
        select(Program).where(Program.id.in_(ids)).options(joinedload(Program.organization)))} if ids else {}
    nearest = _nearest_locations(ids, center)
    hits = [Hit(programs[row.program_id], nearest[row.program_id], round(max(row.d2, 0.0) ** 0.5, 1))
            for row in rows if row.program_id in nearest]
    return DirectoryResult(center, hits, page, per_page, total, q)


def _nearest_locations(program_ids: list[int], center: Point) -> dict[int, Location]:
    """The nearest location of each program on the page (one query)."""
    if not program_ids:
        return {}
    d2 = _distance2(center)
    best: dict[int, tuple[float, Location]] = {}
    for program_id, location, distance in db.session.execute(
            select(ProgramLocation.program_id, Location, d2).join(Location, Location.id == ProgramLocation.location_id)
            .where(ProgramLocation.program_id.in_(program_ids))):
        if program_id not in best or distance < best[program_id][0]:
            best[program_id] = (distance, location)
    return {pid: loc for pid, (_, loc) in best.items()}


def nearest_with_capacity(zip_code: str, categories: list[str], exclude_program_id: int, limit: int = 3) -> list[Hit]:
    """The programs nearest to a ZIP (within MAX_MILES) that take people now or keep a waitlist, offering any
    of these service categories, leaving one program out: where to refer again after "No capacity"."""
    zip_code = clean_zip(zip_code)
    center = zip_centroid(zip_code) if zip_code else None
    if zip_code is None or center is None:
        return []
    q = DirectoryQuery(zip_code, miles=MAX_MILES)
    stmt = _candidates(q, center, zip_code).where(Program.capacity.in_([Capacity.ACCEPTING, Capacity.WAITLIST]),
                                                  Program.id != exclude_program_id)
    if categories:
        stmt = stmt.where(or_(*(Program.categories_text.contains(f"|{c}|") for c in categories)))
    candidates = stmt.subquery()
    rows = db.session.execute(select(candidates.c.program_id, candidates.c.d2)
                              .order_by(candidates.c.d2, candidates.c.program_id).limit(limit)).all()
    ids = [row.program_id for row in rows]
    programs = {p.id: p for p in db.session.scalars(
        select(Program).where(Program.id.in_(ids)).options(joinedload(Program.organization)))} if ids else {}
    nearest = _nearest_locations(ids, center)
    return [Hit(programs[row.program_id], nearest[row.program_id], round(max(row.d2, 0.0) ** 0.5, 1))
            for row in rows if row.program_id in nearest]
