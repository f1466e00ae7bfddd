"""Who may set which status (../shared/standards/referral-status + issue 14): every (role, from, to) pair.

EXPECTED is written out here from the standard's table, independently of portal_app's ACTIONS: the
helper sends, cancels, marks entered-in-error; claimers accept, reject, start, hold, complete, fail; the
seeker says "no longer interested" (cancels) or reports got / couldn't get help (outcome only, status stays).
"""
from __future__ import annotations

import pytest

from portal_app.extensions import db
from portal_app.referrals import services
from portal_app.referrals.models import ReferralEvent
from portal_app.referrals.statuses import ACTIONS, ROLES, STATUSES, may_move

ACTIVE = {"requested", "accepted", "in-progress", "on-hold"}
EXPECTED: set[tuple[str, str | None, str]] = {("helper", None, "requested")}
EXPECTED |= {("helper", s, "cancelled") for s in ACTIVE}
EXPECTED |= {("helper", s, "entered-in-error") for s in STATUSES if s != "entered-in-error"}
EXPECTED |= {("claimer", "requested", "accepted"), ("claimer", "requested", "rejected"),
             ("claimer", "accepted", "in-progress"), ("claimer", "on-hold", "in-progress"),
             ("claimer", "accepted", "on-hold"), ("claimer", "in-progress", "on-hold")}
EXPECTED |= {("claimer", s, t) for s in ("accepted", "in-progress", "on-hold") for t in ("completed", "failed")}
EXPECTED |= {("seeker", s, "cancelled") for s in ACTIVE}
# The seeker's reports keep the status: from every status but cancelled and entered-in-error.
EXPECTED |= {("seeker", s, s) for s in STATUSES if s not in ("cancelled", "entered-in-error")}

PAIRS = [(role, source, target) for role in ROLES for source in STATUSES for target in STATUSES]


def test_the_table_matches_the_standard_for_every_pair():
    got = {(r, s, t) for r, s, t in PAIRS if may_move(r, s, t)} | {
        (r, None, t) for r in ROLES for t in STATUSES if may_move(r, None, t)}
    assert got == EXPECTED


def _actor(ref, role):
    return {"helper": ref.helper, "claimer": ref.claimer, "seeker": ref.seeker}[role]


REASON_NEEDED = {"rejected", "cancelled", "on-hold", "failed"}


@pytest.mark.parametrize(("role", "source", "target"), PAIRS)
def test_the_service_enforces_every_pair(ref, role, source, target):
    """Each allowed pair changes the status (with a reason where one is needed); every other is refused."""
    referral = ref.referral
    referral.status = source
    db.session.flush()
    actor = _actor(ref, role)
    candidates = [a for a in ACTIONS.values() if a.leads_to(source) == target]
    if (role, source, target) not in EXPECTED:
        for action in candidates:
            with pytest.raises(services.TransitionRefused):
                services.change_status(actor, referral, action.name, reason="Because")
        assert referral.status == source
        return
    action = next(a for a in candidates if a.role == role and source in a.sources)
    if target in REASON_NEEDED and not action.fixed_outcome:
        with pytest.raises(services.ReferralInvalid):
            services.change_status(actor, referral, action.name, reason="  ")
    event = services.change_status(actor, referral, action.name, reason="Because")
    assert referral.status == target
    assert (event.from_status, event.to_status) == (source, target)
    assert db.session.get(ReferralEvent, event.id).who


@pytest.mark.parametrize("role", ["claimer", "seeker"])
def test_only_the_helper_sends(ref, people, role):
    with pytest.raises(services.DomainError):
        services.send_referral(_actor(ref, role), ref.client, ref.program, contact_name="X", best_way="none")


def test_a_staff_member_who_did_not_send_it_is_no_party(ref, people):
    """By default only the referrer acts for the helper side (Team Navigation is not on)."""
    with pytest.raises(services.TransitionRefused):
        services.change_status(people["supervisor"], ref.referral, "cancel", reason="Not mine")


def test_a_change_made_meanwhile_by_another_party_refuses_the_second(ref):
    """Two parties act on what each read as "requested": the second write finds a newer version (R3)."""
    from sqlalchemy import update

    from portal_app.referrals.models import Referral

    db.session.execute(update(Referral).where(Referral.id == ref.referral.id)
                       .values(status="cancelled", version_id=Referral.version_id + 1)
                       .execution_options(synchronize_session=False))
    with pytest.raises(services.TransitionRefused), db.session.begin_nested():
        services.change_status(ref.claimer, ref.referral, "accept")


def test_history_names_first_l_and_the_earlier_membership(ref, people):
    """A worker of an organization shows its name; a claimer who joined the program before the organization
    (an account moved later, say) shows the program's name; the seeker shows their own first name."""
    from datetime import timedelta

    from portal_app.programs.models import ProgramMember

    helper, claimer = ref.helper, ref.claimer
    assert services.who(helper, ref.referral) == f"{helper.first_name} {helper.last_name[0]}. ({helper.organization.name})"
    assert services.who(claimer, ref.referral).endswith(f"({claimer.organization.name})")
    member = db.session.scalar(db.select(ProgramMember).filter_by(user_id=claimer.id, program_id=ref.program.id))
    claimer.created_at = member.created_at + timedelta(days=1)
    assert services.who(claimer, ref.referral) == f"{claimer.first_name} {claimer.last_name[0]}. (Rent Help)"
    assert services.who(ref.seeker, ref.referral) == "Maria L."
