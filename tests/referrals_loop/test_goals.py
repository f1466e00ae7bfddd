"""Goals on referrals: "Add to a Goal" on the referral page and the client's Referrals tab (htmx and plain
forms), moving and removing it with the same dropdown, the goal's referrals on the profile, the audit, and
the object rule (only a goal of the referral's own client; other agencies' goals and referrals are 404)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.errors import Forbidden
from portal_app.extensions import db
from portal_app.referrals import goals as referral_goals
from tests import factories
from tests.conftest import csrf_token
from tests.factories.goals import goal as make_goal

HX = {"HX-Request": "true"}


@pytest.fixture
def goals(ref, people):
    housing = make_goal(ref.client, people["case_manager"], "Move into a two-bedroom apartment")
    work = make_goal(ref.client, people["case_manager"], "Find full-time work", domain="employment")
    return housing, work


def _post(http, url, data, page, headers=None):
    return http.post(url, data={**data, "csrf_token": csrf_token(http, page)}, headers=headers or {})


def test_add_move_and_remove_with_one_dropdown_on_the_referral_page(client, auth, ref, goals):
    housing, work = goals
    auth.login(ref.helper)
    page = f"/staff/referrals/{ref.referral.id}"
    html = client.get(page).get_data(as_text=True)
    assert "Add to a Goal" in html and housing.title in html and work.title in html
    url = f"{page}/goal"
    resp = _post(client, url, {"goal_id": str(housing.id), "back": "detail"}, page, HX)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in body and f'id="referral-goal-{ref.referral.id}"' in body
    assert "The referral was added to the goal." in body and ref.referral.goal_id == housing.id
    resp = _post(client, url, {"goal_id": str(work.id)}, page)  # without JavaScript: post, redirect back
    assert resp.status_code == 302 and resp.headers["Location"].endswith(page) and ref.referral.goal_id == work.id
    resp = _post(client, url, {"goal_id": ""}, page, HX)
    assert resp.status_code == 200 and "removed from its goal" in resp.get_data(as_text=True)
    assert ref.referral.goal_id is None
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == "referral.goal_set")))
    assert len(actions) == 3


def test_the_tab_dropdown_and_the_profile_lists_the_goals_referrals(client, auth, ref, goals):
    housing, _ = goals
    auth.login(ref.helper)
    tab = f"/staff/clients/{ref.client.id}/referrals"
    html = client.get(tab).get_data(as_text=True)
    assert f'id="goal-of-{ref.referral.id}"' in html and housing.title in html
    resp = _post(client, f"/staff/referrals/{ref.referral.id}/goal", {"goal_id": str(housing.id), "back": "tab"}, tab)
    assert resp.status_code == 302 and resp.headers["Location"].endswith(tab)
    resp = _post(client, f"/staff/referrals/{ref.referral.id}/goal", {"goal_id": str(housing.id), "back": "tab"},
                 tab, HX)
    assert f'id="goal-of-{ref.referral.id}"' in resp.get_data(as_text=True) and "card" not in resp.get_data(as_text=True)
    profile = client.get(f"/staff/clients/{ref.client.id}").get_data(as_text=True)
    section = profile.split(f'id="goal-{housing.id}"')[1].split('<li class="goal')[0]
    assert f'href="/staff/referrals/{ref.referral.id}"' in section and "Referrals of the goal" in section
    assert "Referral to" in profile and ref.program.name in profile


@pytest.mark.parametrize("bad", ["999999999", "abc", "-1", "1" * 40])
def test_bad_goal_ids_get_a_field_message(client, auth, ref, goals, bad):
    auth.login(ref.helper)
    page = f"/staff/referrals/{ref.referral.id}"
    resp = _post(client, f"{page}/goal", {"goal_id": bad}, page)
    assert resp.status_code == 422 and "Choose one of this client&#39;s open goals." in resp.get_data(as_text=True)
    resp = _post(client, f"{page}/goal", {"goal_id": bad, "back": "tab"}, page, HX)
    assert resp.status_code == 422 and "Choose one of this client&#39;s open goals." in resp.get_data(as_text=True)
    assert ref.referral.goal_id is None


def test_another_clients_goal_is_refused_by_the_object_rule(client, auth, ref, people):
    other = factories.client(people["admin"].organization, first_name="Ana", last_name="Diaz")
    foreign = make_goal(other, people["case_manager"], "Another client's goal")
    with pytest.raises(referral_goals.GoalNotOffered):
        referral_goals.set_referral_goal(ref.helper, ref.referral, foreign)
    auth.login(ref.helper)
    page = f"/staff/referrals/{ref.referral.id}"
    resp = _post(client, f"{page}/goal", {"goal_id": str(foreign.id)}, page)
    assert resp.status_code == 422 and ref.referral.goal_id is None


def test_a_closed_goal_is_not_offered_and_claimers_may_not_link(client, auth, ref, people, goals):
    housing, _ = goals
    closed = make_goal(ref.client, people["case_manager"], "Old goal", status="met")
    with pytest.raises(referral_goals.GoalNotOffered):
        referral_goals.set_referral_goal(ref.helper, ref.referral, closed)
    with pytest.raises(Forbidden):
        referral_goals.set_referral_goal(ref.claimer, ref.referral, housing)
    auth.login(ref.claimer)
    partner_page = client.get(f"/partner/referrals/{ref.referral.id}").get_data(as_text=True)
    assert "Add to a Goal" not in partner_page and housing.title not in partner_page


def test_a_staff_member_of_another_agency_gets_404(client, auth, ref, goals):
    housing, _ = goals
    agency_b = factories.agency("Agency B")
    b_staff = factories.user(agency_b, role="case_manager", email="cm@b.test")
    auth.login(b_staff)
    page = "/staff/clients"
    for url in (f"/staff/referrals/{ref.referral.id}/goal", f"/staff/referrals/{ref.referral.id}/goal/met"):
        resp = _post(client, url, {"goal_id": str(housing.id)}, page)
        assert resp.status_code == 404
    assert ref.referral.goal_id is None
