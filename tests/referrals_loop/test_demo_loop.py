"""The demo shows closing the loop right after `make run`: a referral in a goal whose seeker reported "Got
help" (Casey is asked whether the goal is met), and one that failed with "Couldn't get help" (Jordan is offered
programs with capacity to refer again)."""
from __future__ import annotations

from sqlalchemy import select

from portal_app.accounts.models import User
from portal_app.demo import load_demo
from portal_app.extensions import db
from portal_app.referrals.loop import loop_state
from portal_app.referrals.models import Referral


def _helper(referral: Referral) -> User:
    return db.session.get(User, referral.helper_id)


def test_the_demo_has_a_goal_linked_referral_and_one_that_couldnt_get_help():
    assert load_demo() is True
    linked = list(db.session.scalars(select(Referral).where(Referral.goal_id.is_not(None))))
    assert len(linked) == 2
    got_help = [r for r in linked if r.outcome == "got_help"]
    assert len(got_help) == 1 and loop_state(_helper(got_help[0]), got_help[0]).ask_goal_met
    failed = db.session.scalar(select(Referral).where(Referral.outcome == "couldnt_get_help"))
    state = loop_state(_helper(failed), failed)
    assert failed.status == "failed" and state.offer_alternatives
    assert [hit.program.name for hit in state.alternatives] == ["Walk-in Counseling"]
