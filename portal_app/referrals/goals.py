"""Referrals and client goals: "Add to a Goal" (the same dropdown moves or removes it), and closing the loop
when a referral's outcome becomes "Got help" (is the goal met?). Services flush; the caller commits."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import audit
from ..accounts.models import User
from ..errors import DomainError, Forbidden
from ..extensions import db
from ..goals import services as goal_services
from ..goals.models import Goal
from ..programs.models import Program
from .models import Referral
from .policy import may_link_goal

NOT_THIS_CLIENTS = "Choose one of this client's open goals."


class GoalNotOffered(DomainError):
    """The goal is not one of the referral's client's open goals."""

    field = "goal_id"
    default_message = NOT_THIS_CLIENTS


class NoGoalToMeet(DomainError):
    status = 409
    default_message = "This referral is no longer linked to an open goal. Reload the page to see where it stands."


def set_referral_goal(actor: User, referral: Referral, goal: Goal | None) -> bool:
    """Add the referral to one of the client's open goals, move it to another, or remove it (goal None).
    False when nothing changed (a second press)."""
    if not may_link_goal(actor, referral, goal):
        if goal is not None and may_link_goal(actor, referral):
            raise GoalNotOffered
        raise Forbidden("Only staff of the referring agency add a referral to the client's goals.")
    if goal is not None and not goal.is_open and goal.id != referral.goal_id:
        raise GoalNotOffered
    new_id = goal.id if goal is not None else None
    if referral.goal_id == new_id:
        return False
    previous, referral.goal_id = referral.goal_id, new_id
    referral.goal = goal
    db.session.flush()
    audit.record("referral.goal_set", actor, obj=referral, client_id=referral.client_id,
                 details={"from": previous, "to": new_id})
    return True


def asks_goal_met(actor: Any, referral: Referral) -> bool:
    """The helper's side is asked whether the linked goal is met once the outcome is "Got help"."""
    return (referral.outcome == "got_help" and referral.goal is not None and referral.goal.is_open
            and may_link_goal(actor, referral))


def mark_goal_met(actor: User, referral: Referral) -> bool:
    """One tap after "Got help": the referral's goal is marked met (goals.services.mark_met, audited there)."""
    if not may_link_goal(actor, referral):
        raise Forbidden("Only staff of the referring agency change the client's goals.")
    if referral.goal is None or referral.outcome != "got_help":
        raise NoGoalToMeet
    return goal_services.mark_met(actor, referral.goal)


def referrals_by_goal(goal_ids: list[int]) -> dict[int, list[Referral]]:
    """The referrals of each goal (the profile's Goals section), newest first; one query."""
    found: dict[int, list[Referral]] = {goal_id: [] for goal_id in goal_ids}
    if not goal_ids:
        return found
    for referral in db.session.scalars(
            select(Referral).where(Referral.goal_id.in_(goal_ids), Referral.status != "entered-in-error")
            .options(joinedload(Referral.program).joinedload(Program.organization))
            .order_by(Referral.created_at.desc(), Referral.id.desc())):
        found[referral.goal_id].append(referral)
    return found
