"""Referral statuses (FHIR Task, ../shared/standards/referral-status), outcome labels, and who may set which.

The transitions table is data: ACTIONS names every change a party may make, the statuses it starts
from and the status it leads to. Services and policy read it and nothing else decides.

Parties: the HELPER (the staff member who sent the referral), the program's CLAIMERS (its members) and
the SEEKER (the client, or whoever acts for them on the portal). Differences from the Gravity IG, on
purpose: the seeker's "Got help" / "Couldn't get help" reports change only the outcome label (the
patient application never changes the referral Task's status), while "No longer interested" cancels
the referral on the seeker's behalf.
"""
from __future__ import annotations

from dataclasses import dataclass

HELPER, CLAIMER, SEEKER = "helper", "claimer", "seeker"
ROLES = (HELPER, CLAIMER, SEEKER)

STATUS_LABELS = {
    "requested": "Requested", "accepted": "Accepted", "rejected": "Rejected", "in-progress": "In progress",
    "on-hold": "On hold", "completed": "Completed", "failed": "Failed", "cancelled": "Cancelled",
    "entered-in-error": "Entered in error",
}
STATUSES = tuple(STATUS_LABELS)
ACTIVE = ("requested", "accepted", "in-progress", "on-hold")
TERMINAL = ("rejected", "completed", "failed", "cancelled", "entered-in-error")
NEEDS_REASON = frozenset({"rejected", "cancelled", "on-hold", "failed"})

OUTCOME_LABELS = {
    "got_help": "Got help", "couldnt_get_help": "Couldn't get help", "no_capacity": "No capacity",
    "not_eligible": "Not eligible", "couldnt_contact": "Couldn't contact", "referred_elsewhere": "Referred elsewhere",
    "no_longer_interested": "No longer interested",
}
BEST_WAYS = {"email": "Email", "text": "Text message", "phone": "Phone call", "none": "Don't reach out"}


@dataclass(frozen=True)
class Action:
    name: str
    role: str
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: the status stays (an outcome report)
    outcomes: tuple[str, ...] = ()  # the outcome labels this action may record
    fixed_outcome: str = ""  # the outcome it always records (the seeker's reports)

    def leads_to(self, status: str) -> str:
        return self.target or status

    @property
    def needs_reason(self) -> bool:
        """Rejected, cancelled, on-hold and failed need a reason, unless the action's fixed outcome is it."""
        return self.target in NEEDS_REASON and not self.fixed_outcome


_ANY_BUT_ERROR = tuple(s for s in STATUSES if s != "entered-in-error")
_REPORTABLE = tuple(s for s in STATUSES if s not in ("cancelled", "entered-in-error"))

ACTIONS: dict[str, Action] = {a.name: a for a in (
    Action("cancel", HELPER, "Cancel", ACTIVE, "cancelled",
           ("no_longer_interested", "referred_elsewhere", "couldnt_contact")),
    Action("entered_in_error", HELPER, "Mark entered in error", _ANY_BUT_ERROR, "entered-in-error"),
    Action("accept", CLAIMER, "Accept", ("requested",), "accepted"),
    Action("reject", CLAIMER, "Reject", ("requested",), "rejected",
           ("no_capacity", "not_eligible", "couldnt_contact", "referred_elsewhere")),
    Action("start", CLAIMER, "Start", ("accepted", "on-hold"), "in-progress"),
    Action("hold", CLAIMER, "Put on hold", ("accepted", "in-progress"), "on-hold"),
    Action("complete", CLAIMER, "Complete", ("accepted", "in-progress", "on-hold"), "completed", ("got_help",)),
    Action("fail", CLAIMER, "Mark failed", ("accepted", "in-progress", "on-hold"), "failed",
           ("couldnt_get_help", "couldnt_contact", "not_eligible", "no_longer_interested")),
    Action("not_interested", SEEKER, "I'm no longer interested", ACTIVE, "cancelled",
           fixed_outcome="no_longer_interested"),
    Action("got_help", SEEKER, "I got help", _REPORTABLE, None, fixed_outcome="got_help"),
    Action("no_help", SEEKER, "I couldn't get help", _REPORTABLE, None, fixed_outcome="couldnt_get_help"),
)}
# Sending creates the referral: only the helper does it, and it starts "requested" (FHIR refer-5).
SEND = ("send", HELPER, None, "requested")


def actions_for(roles: set[str] | frozenset[str], status: str) -> list[Action]:
    """The actions a person holding these party roles may take on a referral in this status."""
    return [a for a in ACTIONS.values() if a.role in roles and status in a.sources]


def may_move(role: str, source: str | None, target: str) -> bool:
    """Whether `role` may take a referral from `source` (None: not sent yet) to `target`."""
    if source is None:
        return (role, target) == (SEND[1], SEND[3])
    return any(a.leads_to(source) == target for a in actions_for({role}, source))
