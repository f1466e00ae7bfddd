"""Goals on the staff site: the profile's Goals section, Add goal, Edit, Mark met / not met / withdrawn, Reopen."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.goals.models import Goal
from tests import factories
from tests.conftest import csrf_token
from tests.factories.goals import goal as make_goal
from tests.factories.goals import goals as make_goals
from tests.sql import count_statements


@pytest.fixture
def jo(agency, case_manager):
    client = factories.client(agency, first_name="Jo", last_name="Goalsetter")
    db.session.commit()
    return client


@pytest.fixture
def staff(client, auth, case_manager):
    assert auth.login(case_manager).status_code == 302
    return client


def _profile(c) -> str:
    return f"/staff/clients/{c.id}"


def _post(staff, url: str, data: dict, headers: dict | None = None, token_page: str = "/staff/account/password"):
    return staff.post(url, data={**data, "csrf_token": csrf_token(staff, token_page)}, headers=headers or {})


def _section(page: str) -> str:
    return re.search(r'<section class="card goals" id="goals".*?</section>', page, re.DOTALL).group(0)


def test_the_profile_lists_open_goals_first_then_closed(staff, jo, case_manager):
    make_goal(jo, case_manager, "Get a library card", domain="education", status="met")
    make_goal(jo, case_manager, "Renew ID", domain="legal")
    make_goal(jo, case_manager, "Find stable housing", domain="housing",
              target_date=__import__("datetime").date(2099, 1, 31))
    db.session.commit()
    section = _section(staff.get(_profile(jo)).get_data(as_text=True))
    order = [section.index(t) for t in ("<h3>Open</h3>", "Find stable housing", "Renew ID", "<h3>Closed</h3>",
                                        "Get a library card")]
    assert order == sorted(order)  # dated open goal, undated open goal, then closed
    assert "Income and benefits" not in section and "Education" in section and "Housing" in section
    assert "Target Jan 31, 2099" in section
    assert section.count("Mark met") == 2 and section.count("Reopen") == 1
    assert f'href="/staff/clients/{jo.id}/goals/new">Add goal<' in section


def test_add_goal_without_javascript(staff, jo, case_manager):
    url = f"/staff/clients/{jo.id}/goals/new"
    resp = _post(staff, url, {"title": " Move into an apartment ", "domain": "housing", "target_date": "",
                              "description": "Two bedrooms\nnear school"}, token_page=url)
    goal = db.session.scalar(select(Goal).where(Goal.client_id == jo.id))
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/staff/clients/{jo.id}#goal-{goal.id}")
    assert (goal.title, goal.domain, goal.status, goal.target_date, goal.created_by_id) == (
        "Move into an apartment", "housing", "open", None, case_manager.id)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.client_id == jo.id)).all()
    assert "goal.created" in actions


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"title": "", "domain": "housing"}, "title", "Enter the goal"),
    ({"title": "x" * 201, "domain": "housing"}, "title", "Use at most 200 characters."),
    ({"title": "Bad\x00byte", "domain": "housing"}, "title", "invisible control characters"),
    ({"title": "Housing", "domain": "space"}, "domain", "Choose the area of life"),
    ({"title": "Housing", "domain": ""}, "domain", "Choose the area of life"),
    ({"title": "Housing", "domain": "food", "target_date": "2027-02-30"}, "target_date", "real date"),
    ({"title": "Housing", "domain": "food", "target_date": "2001-01-01"}, "target_date", "today or a later date"),
    ({"title": "Housing", "domain": "food", "target_date": "9999-01-01"}, "target_date", "between 2000 and 2099"),
    ({"title": "Housing", "domain": "food", "description": "x" * 4001}, "description", "at most 4,000"),
])
def test_bad_input_gets_a_message_beside_its_field(staff, jo, data, field, message):
    url = f"/staff/clients/{jo.id}/goals/new"
    resp = _post(staff, url, data, token_page=url)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    error = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.DOTALL)
    assert error and message in error.group(1)
    assert db.session.scalar(select(Goal).where(Goal.client_id == jo.id)) is None


def test_edit_keeps_an_old_target_date_and_refuses_a_stale_save(staff, jo, case_manager, frozen_clock):
    from datetime import date

    goal = make_goal(jo, case_manager, "Renew ID", domain="legal", target_date=date(2026, 1, 5))
    db.session.commit()
    url = f"/staff/goals/{goal.id}/edit"
    page = staff.get(url).get_data(as_text=True)
    assert 'value="Renew ID"' in page and 'value="2026-01-05"' in page
    data = {"title": "Renew state ID", "domain": "legal", "target_date": "2026-01-05", "description": "",
            "version_id": str(goal.version_id)}
    assert _post(staff, url, data, token_page=url).status_code == 302
    db.session.refresh(goal)
    assert (goal.title, goal.version_id) == ("Renew state ID", 2)
    stale = _post(staff, url, {**data, "title": "Older tab", "version_id": "1"}, token_page=url)
    assert stale.status_code == 409 and "Someone else changed this goal" in stale.get_data(as_text=True)
    assert "Currently saved" in stale.get_data(as_text=True)
    db.session.refresh(goal)
    assert goal.title == "Renew state ID"


def test_mark_met_with_htmx_redraws_the_section(staff, jo, case_manager, frozen_clock):
    goal = make_goal(jo, case_manager, "Renew ID", domain="legal")
    db.session.commit()
    resp = _post(staff, f"/staff/goals/{goal.id}/status", {"status": "met"}, headers={"HX-Request": "true"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and body.lstrip().startswith("<section class=\"card goals\" id=\"goals\"")
    assert "The goal was marked met." in body and "<h3>Closed</h3>" in body and "Reopen" in body
    assert "Met Nov 22, 2026 by " + case_manager.full_name in body
    assert "<html" not in body and "HX-Request" in resp.headers["Vary"]
    db.session.refresh(goal)
    assert (goal.status, goal.status_changed_by_id) == ("met", case_manager.id)


@pytest.mark.parametrize("status", ["not_met", "withdrawn"])
def test_close_without_javascript_then_reopen(staff, jo, case_manager, status):
    goal = make_goal(jo, case_manager)
    db.session.commit()
    resp = _post(staff, f"/staff/goals/{goal.id}/status", {"status": status})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"#goal-{goal.id}")
    db.session.refresh(goal)
    assert goal.status == status
    again = _post(staff, f"/staff/goals/{goal.id}/status", {"status": "met"})  # closed: another outcome refused
    assert again.status_code == 409 and "Reopen it first" in again.get_data(as_text=True)
    assert _post(staff, f"/staff/goals/{goal.id}/status", {"status": "open"}).status_code == 302
    db.session.refresh(goal)
    assert goal.status == "open"
    changes = db.session.scalars(select(AuditEvent.details).where(AuditEvent.action == "goal.status_changed",
                                                                  AuditEvent.client_id == jo.id)).all()
    assert len(changes) == 2


def test_unknown_status_and_missing_token_are_refused(staff, jo, case_manager):
    goal = make_goal(jo, case_manager)
    db.session.commit()
    bad = _post(staff, f"/staff/goals/{goal.id}/status", {"status": "deleted"})
    assert bad.status_code == 422 and "Choose met, not met, withdrawn or open." in bad.get_data(as_text=True)
    assert staff.post(f"/staff/goals/{goal.id}/status", data={"status": "met"}).status_code == 400
    db.session.refresh(goal)
    assert goal.status == "open"


def test_the_profile_section_sends_a_bounded_number_of_queries(staff, jo, case_manager):
    """P3: the same statements at 10 goals and at 1,000 (the section is paged, people loaded in one query)."""
    counts = []
    for total in (10, 1_000):
        make_goals(jo, case_manager, total - len(counts and [0] * 10))
        db.session.commit()
        with count_statements() as statements:
            page = staff.get(_profile(jo)).get_data(as_text=True)
        counts.append(len(statements))
        assert page.count('class="goal') >= 10
    # 10 goals show closed ones too (one more query for who closed them); 1,000 show a first page of open ones;
    # each goal's referrals come in one query more; a staff member without Messaging has one more for whether
    # any Inbox item is addressed to them (the navigation's Inbox link)
    assert counts[1] <= counts[0] <= 10, counts
    assert 'rel="next"' in page
