"""Closing the loop on a referral page: what each party is asked once an outcome is known.

* "Got help" with a linked open goal: the helper's side is asked whether the goal is met (goals.mark_goal_met).
* "Couldn't get help" or "No capacity": the helper's side is offered the three nearest programs with capacity
  (accepting or waitlist) for the same service, nearest to the client's ZIP, the original program left out.
* A "No capacity" rejection: the program's claimers are asked to update its capacity in the directory.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..accounts.models import User
from ..goals.models import Goal
from ..goals.services import goals_for_picker
from ..programs.models import Capacity
from ..programs.policy import may_manage_program
from ..programs.search import Hit, nearest_with_capacity
from .goals import asks_goal_met
from .models import Referral
from .policy import is_claimer, may_link_goal

TAKES_PEOPLE_NOW = frozenset({Capacity.ACCEPTING, Capacity.ASSESSMENT})  # what the directory says, until updated
REFER_AGAIN_OUTCOMES = frozenset({"couldnt_get_help", "no_capacity"})
ALTERNATIVES = 3


@dataclass
class LoopState:
    may_link_goal: bool = False
    goals: list[Goal] = field(default_factory=list)  # the dropdown's open goals (plus the linked one if closed)
    ask_goal_met: bool = False
    alternatives: list[Hit] = field(default_factory=list)
    offer_alternatives: bool = False
    capacity_prompt: bool = False
    may_edit_capacity: bool = False


def goal_choices(referral: Referral, open_goals: list[Goal] | None = None) -> list[Goal]:
    """The client's open goals; the linked goal stays listed after it closed, so the dropdown shows it."""
    goals = goals_for_picker(referral.client) if open_goals is None else open_goals
    if referral.goal is not None and referral.goal not in goals:
        goals = [referral.goal, *goals]
    return goals


def alternatives(referral: Referral) -> list[Hit]:
    """The nearest programs with capacity for the same service categories, the original program left out."""
    return nearest_with_capacity(referral.client.zip_code or "", referral.program.categories, referral.program_id,
                                 ALTERNATIVES)


def asks_capacity_update(actor: Any, referral: Referral) -> bool:
    """A claimer rejected it for "No capacity", yet the directory still says the program takes people and its
    capacity was not updated since."""
    return (referral.status == "rejected" and referral.outcome == "no_capacity"
            and referral.program.capacity in TAKES_PEOPLE_NOW
            and referral.program.capacity_updated_at <= referral.status_changed_at
            and is_claimer(actor, referral.program_id))


def loop_state(actor: Any, referral: Referral) -> LoopState:
    """What this person's referral page offers about goals, other programs and capacity (few queries, and
    none for outcomes that ask nothing)."""
    state = LoopState()
    if may_link_goal(actor, referral):
        state.may_link_goal = True
        state.goals = goal_choices(referral)
        state.ask_goal_met = asks_goal_met(actor, referral)
    helper_side = (referral.client_id is not None  # a walk-in has no client record (no ZIP to search around)
                   and isinstance(actor, User) and actor.is_staff and actor.organization_id == referral.agency_id)
    if helper_side and referral.outcome in REFER_AGAIN_OUTCOMES:
        state.offer_alternatives = True
        state.alternatives = alternatives(referral)
    if asks_capacity_update(actor, referral):
        state.capacity_prompt = True
        state.may_edit_capacity = may_manage_program(actor, referral.program)
    return state
