"""Add, edit and close client goals. Every function takes the acting person, validates, audits and flushes;
the caller (a view, the demo, the referrals domain) commits.

The field rules live here once (clean_*): the staff form runs them field by field, and the services run
them again, so a caller that skips the form meets the same rules.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..accounts.models import User
from ..clients.models import Client
from ..clock import utcnow
from ..errors import DomainError
from ..extensions import db
from ..plaintext import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from ..timefmt import to_local
from .models import MAX_DESCRIPTION, MAX_TITLE, Goal, GoalDomain, GoalStatus
from .queries import open_goals

EARLIEST_TARGET = date(2000, 1, 1)
LATEST_TARGET = date(2099, 12, 31)


class GoalError(DomainError):
    """A goal rule refused the change; nothing was saved."""

    default_message = "This goal could not be saved."


class InvalidGoal(GoalError):
    pass


class GoalClosed(GoalError):
    status = 409
    default_message = "This goal is already closed. Reopen it first to give it another outcome."


class StaleEdit(GoalError):
    status = 409
    default_message = "Someone else changed this goal after you opened it. Review their version, then save again."


# -- Field rules ---------------------------------------------------------------------------------


def clean_title(value: str | None) -> str:
    title = (value or "").strip()
    if not title:
        raise InvalidGoal("Enter the goal, for example \u201cFind stable housing\u201d.", field="title")
    if len(title) > MAX_TITLE:
        raise InvalidGoal(f"Use at most {MAX_TITLE} characters.", field="title")
    if has_control_characters(title):
        raise InvalidGoal(CONTROL_CHARACTERS_MESSAGE, field="title")
    return title


def clean_description(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > MAX_DESCRIPTION:
        raise InvalidGoal(f"Use at most {MAX_DESCRIPTION:,} characters.", field="description")
    if has_control_characters(text, multiline=True):
        raise InvalidGoal(CONTROL_CHARACTERS_MESSAGE, field="description")
    return text


def clean_domain(value: str | None) -> str:
    if value not in set(GoalDomain):
        raise InvalidGoal("Choose the area of life this goal is about.", field="domain")
    return str(value)


def agency_today() -> date:
    return to_local(utcnow()).date()


def clean_target_date(value: date | None, *, unchanged: date | None = None) -> date | None:
    """An optional target date; a new one may not lie in the past (an old one kept on edit may)."""
    if value is None or value == unchanged:
        return value
    if not EARLIEST_TARGET <= value <= LATEST_TARGET:
        raise InvalidGoal("Enter a target date between 2000 and 2099.", field="target_date")
    if value < agency_today():
        raise InvalidGoal("Choose today or a later date as the target date.", field="target_date")
    return value


def _fields(data: dict[str, Any], unchanged_target: date | None = None) -> dict[str, Any]:
    return {"title": clean_title(data.get("title")), "description": clean_description(data.get("description")),
            "domain": clean_domain(data.get("domain")),
            "target_date": clean_target_date(data.get("target_date"), unchanged=unchanged_target)}


def _require_scope(actor: User, client: Client) -> None:
    if not (actor.is_staff and client.organization_id == actor.organization_id):
        raise GoalError("Only staff of the client's agency can change the client's goals.")


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as err:  # another request saved the goal between our read and our write
        raise StaleEdit from err


# -- Changes -------------------------------------------------------------------------------------


def create_goal(actor: User, client: Client, **data: Any) -> Goal:
    """Add Goal: title, area of life, optional description and target date; the goal starts open."""
    _require_scope(actor, client)
    goal = Goal(client=client, created_by_id=actor.id, status=GoalStatus.OPEN, **_fields(data))
    db.session.add(goal)
    db.session.flush()
    audit.record("goal.created", actor, obj=goal, client_id=client.id, details={"domain": goal.domain})
    return goal


def update_goal(actor: User, goal: Goal, expected_version: int | None, **data: Any) -> Goal:
    """Edit a goal's words, area and target date (409 when someone saved it since it was opened)."""
    _require_scope(actor, goal.client)
    if expected_version is not None and expected_version != goal.version_id:
        raise StaleEdit
    fields = _fields(data, unchanged_target=goal.target_date)
    changed = sorted(name for name, value in fields.items() if getattr(goal, name) != value)
    for name, value in fields.items():
        setattr(goal, name, value)
    _flush()
    audit.record("goal.updated", actor, obj=goal, client_id=goal.client_id, details={"fields": changed})
    return goal


def set_goal_status(actor: User, goal: Goal, status: str) -> bool:
    """Mark an open goal met, not met or withdrawn, or reopen a closed one. False when it already had
    that status (a second press changes nothing); GoalClosed when a closed goal would get another outcome."""
    _require_scope(actor, goal.client)
    if status not in set(GoalStatus):
        raise InvalidGoal("Choose met, not met, withdrawn or open.", field="status")
    if goal.status == status:
        return False
    if not goal.is_open and status != GoalStatus.OPEN:
        raise GoalClosed
    previous = goal.status
    goal.status, goal.status_changed_by_id, goal.status_changed_at = status, actor.id, utcnow()
    _flush()
    audit.record("goal.status_changed", actor, obj=goal, client_id=goal.client_id,
                 details={"from": previous, "to": status})
    return True


def mark_met(actor: User, goal: Goal) -> bool:
    """The goal was reached ("Got help" on a referral asks this); False when it was already met."""
    return set_goal_status(actor, goal, GoalStatus.MET)


def goals_for_picker(client: Client) -> list[Goal]:
    """The client's open goals, for an "Add to a Goal" dropdown (nearest target date first)."""
    return open_goals(client)
