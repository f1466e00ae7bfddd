"""Closing the loop: "Got help" (from any party) asks the helper whether the linked goal is met, one tap marks
it; "Couldn't get help" and "No capacity" offer the three nearest programs with capacity for the same service;
a "No capacity" rejection asks the program to update its capacity."""
from __future__ import annotations

import pytest

from portal_app.errors import Forbidden
from portal_app.goals.models import GoalStatus
from portal_app.programs import services as program_services
from portal_app.referrals import goals as referral_goals
from portal_app.referrals import services
from portal_app.referrals.loop import alternatives, loop_state
from tests import factories
from tests.conftest import csrf_token
from tests.factories.goals import goal as make_goal
from tests.referrals.conftest import make_program, send

HX = {"HX-Request": "true"}


@pytest.fixture
def linked(ref, people):
    goal = make_goal(ref.client, people["case_manager"], "Move into a two-bedroom apartment")
    referral_goals.set_referral_goal(ref.helper, ref.referral, goal)
    return goal


def _complete(ref):
    services.change_status(ref.claimer, ref.referral, "accept")
    services.change_status(ref.claimer, ref.referral, "complete", outcome="got_help")


def test_got_help_from_the_claimer_asks_the_helper_and_one_tap_marks_the_goal_met(client, auth, ref, linked):
    page = f"/staff/referrals/{ref.referral.id}"
    auth.login(ref.helper)
    assert "Is the goal" not in client.get(page).get_data(as_text=True)  # no outcome yet: nothing to ask
    _complete(ref)
    html = client.get(page).get_data(as_text=True)
    assert "Is the goal &ldquo;Move into a two-bedroom apartment&rdquo; met?" in html and "Mark the goal met" in html
    resp = client.post(f"{page}/goal/met", data={"csrf_token": csrf_token(client, page)}, headers=HX)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "The goal was marked met." in body and "Is the goal" not in body
    assert linked.status == GoalStatus.MET and linked.status_changed_by_id == ref.helper.id
    assert "Is the goal" not in client.get(page).get_data(as_text=True)


def test_got_help_reported_by_the_seeker_asks_too_and_the_plain_form_redirects(client, auth, ref, linked):
    services.change_status(ref.seeker, ref.referral, "got_help", via="portal")
    assert loop_state(ref.helper, ref.referral).ask_goal_met
    assert not loop_state(ref.claimer, ref.referral).ask_goal_met  # the program does not manage the goals
    page = f"/staff/referrals/{ref.referral.id}"
    auth.login(ref.helper)
    resp = client.post(f"{page}/goal/met", data={"csrf_token": csrf_token(client, page)})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(page) and linked.status == GoalStatus.MET


def test_marking_met_needs_got_help_and_a_linked_goal(client, auth, ref, linked):
    page = f"/staff/referrals/{ref.referral.id}"
    auth.login(ref.helper)
    resp = client.post(f"{page}/goal/met", data={"csrf_token": csrf_token(client, page)})
    assert resp.status_code == 409 and linked.status == GoalStatus.OPEN
    resp = client.post(f"{page}/goal/met", data={})
    assert resp.status_code == 400


def test_the_claimer_may_not_mark_the_goal_met(client, auth, ref, linked, people):
    _complete(ref)
    colleague = factories.user(people["admin"].organization, role="case_manager", email="other.cm@a.test")
    # the program's claimer never changes the client's goals; a colleague of the helper's agency may
    with pytest.raises(Forbidden):
        referral_goals.mark_goal_met(ref.claimer, ref.referral)
    assert linked.status == GoalStatus.OPEN
    assert referral_goals.mark_goal_met(colleague, ref.referral) and linked.status == GoalStatus.MET


@pytest.fixture
def directory(people):
    partner_org = people["partner"].organization
    admin = people["admin"]

    def program(name, zip_code, capacity="accepting", categories=("housing",)):
        made = program_services.create_program(admin, partner_org, name=name, categories=list(categories))
        program_services.add_location(admin, made, postal_code=zip_code, address_1="1 Main St")
        if capacity != "accepting":
            program_services.set_capacity(admin, made, capacity, "about 15 waiting" if capacity == "waitlist" else "")
        return made

    original = program("Housing First", "97401")
    program_services.add_claimer(admin, original, people["partner"])
    return {
        "original": original,
        "near": program("Near Housing", "97477"),
        "waitlist": program("Waitlist Housing", "97402", "waitlist"),
        "full": program("Full Housing", "97403", "not_accepting"),
        "assessment": program("Assessed Housing", "97403", "assessment_required"),
        "food": program("Food Pantry", "97401", categories=("food",)),
        "salem": program("Salem Housing", "97301"),
        "far": program("Medford Housing", "97520"),
    }


def test_couldnt_get_help_offers_the_three_nearest_programs_with_capacity(client, auth, ref, directory, people):
    referral = send(ref.helper, ref.client, directory["original"])
    services.change_status(ref.seeker, referral, "no_help", via="portal")
    names = [hit.program.name for hit in alternatives(referral)]
    assert names == ["Near Housing", "Waitlist Housing", "Salem Housing"]
    auth.login(ref.helper)
    html = client.get(f"/staff/referrals/{referral.id}").get_data(as_text=True)
    assert "Refer again" in html and "Full Housing" not in html.split("Refer again")[1].split("</section>")[0]
    refer = f"/staff/clients/{ref.client.id}/referrals/new?program_id={directory['near'].id}".replace("&", "&amp;")
    assert refer in html
    assert client.get(refer.replace("&amp;", "&")).status_code == 200  # the Connect form, pre-filled


def test_no_capacity_rejection_offers_programs_and_asks_the_program_to_update_capacity(client, auth, ref, directory,
                                                                                       people):
    referral = send(ref.helper, ref.client, directory["original"])
    auth.login(ref.claimer)
    page = f"/partner/referrals/{referral.id}"
    resp = client.post(f"{page}/status", data={"action": "reject", "reason": "Full until spring",
                                                "outcome": "no_capacity", "csrf_token": csrf_token(client, page)},
                       headers=HX)
    body = resp.get_data(as_text=True)
    edit = f"/partner/programs/{directory['original'].id}"
    assert resp.status_code == 200 and "Update the program's capacity?" in body and f'href="{edit}"' in body
    assert loop_state(ref.helper, referral).offer_alternatives
    assert not loop_state(ref.helper, referral).capacity_prompt
    program_services.set_capacity(people["partner"], directory["original"], "waitlist", "about 20 waiting")
    assert "Update the program" not in client.get(page).get_data(as_text=True)


def test_other_outcomes_offer_nothing(ref, directory):
    referral = send(ref.helper, ref.client, directory["original"])
    services.change_status(ref.claimer, referral, "accept")
    state = loop_state(ref.helper, referral)
    assert not (state.offer_alternatives or state.capacity_prompt or state.ask_goal_met)


def test_an_agency_program_with_no_categories_still_finds_programs(ref, people):
    own = make_program(people["admin"], people["admin"].organization, name="Agency Desk")
    referral = send(ref.helper, ref.client, own)
    services.change_status(ref.helper, referral, "cancel", reason="No capacity there", outcome="referred_elsewhere")
    assert not loop_state(ref.helper, referral).offer_alternatives
    assert [hit.program.id for hit in alternatives(referral)] == [ref.program.id]
