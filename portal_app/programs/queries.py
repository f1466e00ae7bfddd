"""Reads of programs: loaders scoped to the actor (404 outside it) and the lists they manage."""
from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..accounts.models import Organization, Role
from ..authz import Permission, can
from ..errors import NotFound
from ..extensions import db
from ..paging import Page, fetch_page
from .models import Location, Program, ProgramLocation


class ProgramNotFound(NotFound):
    """No such program among those the actor manages (another's is not revealed)."""


class LocationNotFound(NotFound):
    """No such location of this program."""


def managed_organizations(actor: Any):
    """A select of the ids of the organizations whose programs the actor manages."""
    if actor.role == Role.PARTNER:
        return select(Organization.id).where(Organization.id == actor.organization_id)
    if actor.is_admin:
        return select(Organization.id).where(or_(Organization.id == actor.organization_id,
                                                 Organization.managing_agency_id == actor.organization_id))
    return select(Organization.id).where(Organization.id.is_(None))


def management_permission(actor: Any) -> Permission:
    return Permission.PARTNER_PROGRAMS if actor.role == Role.PARTNER else Permission.ADMIN_PROGRAMS


def with_sites():
    return selectinload(Program.sites).joinedload(ProgramLocation.location)


def get_program_for(actor: Any, program_id: int) -> Program:
    """A program the actor manages; else ProgramNotFound (404), whether it exists elsewhere or not."""
    program = db.session.scalar(
        select(Program).where(Program.id == program_id, Program.organization_id.in_(managed_organizations(actor)))
        .options(with_sites(), selectinload(Program.members)))
    if program is None or not can(actor, management_permission(actor), program):
        raise ProgramNotFound
    return program


def get_location_for(actor: Any, program: Program, location_id: int) -> ProgramLocation:
    """One of this (already authorized) program's sites; else LocationNotFound (404)."""
    for site in program.sites:
        if site.id == location_id:
            return site
    raise LocationNotFound


def managed_programs(actor: Any, page: Any = 1) -> Page:
    """The programs the actor manages, by organization and name, one page at a time."""
    stmt = (select(Program).join(Organization, Organization.id == Program.organization_id)
            .where(Program.organization_id.in_(managed_organizations(actor)))
            .options(selectinload(Program.organization))
            .order_by(Organization.name, Program.name, Program.id))
    return fetch_page(stmt, page)


def location_by_hsds_id(hsds_id: str) -> Location | None:
    return db.session.scalar(select(Location).where(Location.hsds_id == hsds_id))


def claimer_candidates(program: Program) -> list:
    """The enabled people of the program's organization (its partner users, or the agency's staff)."""
    from ..accounts.models import User

    return list(db.session.scalars(select(User).where(User.organization_id == program.organization_id,
                                                      User.enabled.is_(True))
                                   .order_by(User.last_name, User.first_name, User.id)))
