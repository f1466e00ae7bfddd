"""Demo referrals: Casey's and Jordan's clients referred to demo programs, in several statuses, so the client
Referrals section, Inbound Referrals (Dana at Hope, Morgan at Bridgeway) and María's My referrals show them.

Closing the loop: María's Rent Assistance referral belongs to her housing goal and she reported "Got help" on the
portal (Casey is asked whether the goal is met); James's Job Search Coaching one belongs to his work goal;
Roberto's counseling referral failed with "Couldn't get help" (Jordan is offered programs to refer again)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..accounts.models import User
from ..clients.models import Client
from ..extensions import db
from ..goals.models import Goal
from ..programs.models import Program
from . import services
from .goals import set_referral_goal
from .models import Referral, ReferralEvent

# (client index, helper key, program name, [(actor: "helper" | claimer email, action, reason, outcome)], days ago)
DEMO_REFERRALS = (
    (0, "casey", "Individual and Family Counseling",
     [("partner@hope.example", "accept", "", "")], 3),
    (2, "casey", "Individual and Family Counseling", [], 9),
    (1, "jordan", "Outpatient Recovery",
     [("partner@bridgeway.example", "reject", "About 15 people are waiting; try again in a month.", "no_capacity")], 12),
    (4, "casey", "Crisis Support Group",
     [("partner@hope.example", "accept", "", ""), ("partner@hope.example", "start", "", ""),
      ("partner@hope.example", "complete", "", "got_help")], 20),
    (0, "casey", "Community Pantry", [], 1),
    (0, "casey", "Rent Assistance", [("seeker", "got_help", "", "")], 6),
    (1, "casey", "Job Search Coaching", [], 5),
    (3, "jordan", "Individual and Family Counseling",
     [("partner@hope.example", "accept", "", ""),
      ("partner@hope.example", "fail", "Three calls and a letter went unanswered.", "couldnt_get_help")], 15),
)
# (client index, program name) -> the title of the client's demo goal (goals/demo.py) the referral belongs to
DEMO_GOAL_LINKS = {(0, "Rent Assistance"): "Move into a two-bedroom apartment",
                   (1, "Job Search Coaching"): "Find full-time work in a warehouse"}


def _seeker(client: Client):
    """The portal account acting for the client (María's own login), if the demo gave it one."""
    from ..portal_access.models import ClientAccess, PortalAccount

    return db.session.scalar(select(PortalAccount).join(ClientAccess, ClientAccess.account_id == PortalAccount.id)
                             .where(ClientAccess.client_id == client.id, ClientAccess.active)
                             .order_by(ClientAccess.id).limit(1))


def _program(name: str) -> Program | None:
    return db.session.scalar(select(Program).where(Program.name == name))


def _age(referral: Referral, days: int) -> None:
    """Move the demo referral and its history back in time, so ages and "Not updated" show something."""
    shift = timedelta(days=days)
    referral.created_at -= shift
    referral.status_changed_at -= shift - timedelta(days=min(days, 1) if referral.status != "requested" else 0)
    for event in db.session.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)):
        event.occurred_at = referral.created_at if event.kind == "sent" else referral.status_changed_at


def load_referrals(staff: dict[str, User], clients: list[Client]) -> None:
    """A few referrals through the services (history, emails and one-tap links as in real use)."""
    for index, helper_key, program_name, steps, days in DEMO_REFERRALS:
        program, client, helper = _program(program_name), clients[index], staff[helper_key]
        if program is None:
            continue
        referral = services.send_referral(
            helper, client, program, contact_name=client.full_name, contact_phone=client.phone,
            contact_email=client.email, contact_language=client.preferred_language,
            best_way="phone" if client.phone else "email" if client.email else "none",
            comment="Prefers afternoon calls." if index == 0 else "")
        goal_title = DEMO_GOAL_LINKS.get((index, program_name))
        if goal_title:
            goal = db.session.scalar(select(Goal).where(Goal.client_id == client.id, Goal.title == goal_title))
            if goal is not None:
                set_referral_goal(helper, referral, goal)
        for email, action, reason, outcome in steps:
            actor = _seeker(client) if email == "seeker" else db.session.scalar(select(User).where(User.email == email))
            if actor is not None:
                services.change_status(actor, referral, action, reason=reason, outcome=outcome,
                                       via="portal" if email == "seeker" else "dashboard")
        _age(referral, days)
    db.session.flush()
