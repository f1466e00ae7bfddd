"""Reads of goals, always scoped to the acting staff member's agency (another agency's goal answers 404)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import joinedload, selectinload

from ..authz import Permission, can
from ..clients.models import Client
from ..errors import NotFound
from ..extensions import db
from ..paging import Page, fetch_page
from .models import Goal, GoalStatus

PICKER_LIMIT = 100  # open goals offered in a dropdown; a client never has nearly that many


class GoalNotFound(NotFound):
    """No such goal among the clients of the actor's agency."""


def get_goal_for(actor: Any, goal_id: int) -> Goal:
    """A goal of a client of the actor's agency, with its client loaded; else GoalNotFound (404)."""
    goal = db.session.scalar(
        select(Goal).join(Client, Client.id == Goal.client_id)
        .where(Goal.id == goal_id, Client.organization_id == actor.organization_id)
        .options(joinedload(Goal.client)))
    if goal is None or not can(actor, Permission.STAFF_GOALS, goal):
        raise GoalNotFound
    return goal


def _with_people():
    return selectinload(Goal.created_by), selectinload(Goal.status_changed_by)


def client_goals(client: Client, page: Any = 1) -> Page[Goal]:
    """The client's goals, open first (nearest target date first), then closed (latest closed first)."""
    is_open = Goal.status == GoalStatus.OPEN
    stmt = (select(Goal).where(Goal.client_id == client.id).options(*_with_people())
            .order_by(case((is_open, 0), else_=1),
                      case((is_open & Goal.target_date.is_(None), 1), else_=0),  # undated open goals last
                      case((is_open, Goal.target_date)),  # NULL for closed goals: no effect on their order
                      case((~is_open, Goal.status_changed_at)).desc(), Goal.id.desc()))
    return fetch_page(stmt, page)


def open_goals(client: Client, limit: int = PICKER_LIMIT) -> list[Goal]:
    """The client's open goals, nearest target date first, then oldest first (dropdowns, the portal)."""
    stmt = (select(Goal).where(Goal.client_id == client.id, Goal.status == GoalStatus.OPEN)
            .order_by(Goal.target_date.is_(None), Goal.target_date, Goal.id).limit(limit))
    return list(db.session.scalars(stmt))
