"""Demo goals (`flask demo`): a few goals of the demo clients, open and closed, so the profile shows both."""
from __future__ import annotations

from datetime import timedelta

from ..accounts.models import User
from ..clients.models import Client
from . import services

# (client position in demo.CLIENTS, title, domain, days to the target date or None, description, outcome)
DEMO_GOALS = (
    (0, "Move into a two-bedroom apartment", "housing", 90,
     "Near the children's school; a voucher application is in progress.", None),
    (0, "Enroll in evening English classes", "education", None, "", "met"),
    (1, "Find full-time work in a warehouse", "employment", 60, "Forklift certificate first.", None),
    (10, "Go to school every day this month", "education", 30, "", None),
)


def load_goals(case_manager: User, clients: list[Client]) -> None:
    """Add the demo goals through the services (audited like any other change); flushes, never commits."""
    today = services.agency_today()
    for position, title, domain, days, description, outcome in DEMO_GOALS:
        target = today + timedelta(days=days) if days is not None else None
        goal = services.create_goal(case_manager, clients[position], title=title, domain=domain,
                                    target_date=target, description=description)
        if outcome:
            services.set_goal_status(case_manager, goal, outcome)
