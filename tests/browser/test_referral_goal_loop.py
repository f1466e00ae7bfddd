"""Closing the loop in Chromium: a case manager adds a referral to the client's goal (htmx, in place); the
program's claimer completes it with the outcome "Got help"; the case manager's referral page asks whether the
goal is met, and one tap marks it met without a reload (axe checks the page with the prompt)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import axe_violations
from tests.browser.conftest import seeded_server
from tests.browser.test_sites_side_by_side import sign_in

GOAL = "Move into a two-bedroom apartment"


def _seed(people: dict) -> dict:
    """Harbor Counseling (Pat claims for it), Jamie's open housing goal, and Casey's referral of Jamie to it."""
    from sqlalchemy import select

    from portal_app.accounts.models import User
    from portal_app.clients.models import Client
    from portal_app.extensions import db
    from tests.factories.goals import goal
    from tests.referrals.conftest import make_program, send

    admin = db.session.scalar(select(User).filter_by(email=people["admin"]["email"]))
    pat = db.session.scalar(select(User).filter_by(email=people["partner"]["email"]))
    casey = db.session.scalar(select(User).filter_by(email=people["case_manager"]["email"]))
    jamie = db.session.get(Client, int(people["client"]["id"]))
    jamie.zip_code = "97401"
    admin.organization.managing_agency_id = None
    pat.organization.managing_agency_id = admin.organization_id
    program = make_program(admin, pat.organization, name="Harbor Counseling", claimers=[pat])
    goal(jamie, casey, GOAL)
    goal(jamie, casey, "Find full-time work", domain="employment")
    referral = send(casey, jamie, program)
    db.session.commit()
    return {"referral_id": referral.id}


@pytest.mark.browser
def test_link_to_a_goal_claimer_got_help_case_manager_marks_the_goal_met(browser, tmp_path):
    with seeded_server(tmp_path, "referral_goal", _seed) as (server, seeded):
        base, people = server.url, server.people
        contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
        try:
            staff, partner = (c.new_page() for c in contexts)
            detail = f"{base}/staff/referrals/{seeded['referral_id']}"
            sign_in(staff, f"{base}/staff/login", people["case_manager"]["email"], server.password)
            staff.goto(detail)
            card = staff.locator(f"#referral-goal-{seeded['referral_id']}")
            card.get_by_label("Add to a Goal").select_option(label=GOAL)
            staff.evaluate("window.__sameDocument = true")  # survives only if nothing reloads the page
            card.get_by_role("button", name="Save goal").click()
            expect(card).to_contain_text("The referral was added to the goal.")
            expect(card).to_contain_text(f"Part of the goal “{GOAL}” (Open)")
            assert staff.evaluate("window.__sameDocument === true")

            sign_in(partner, f"{base}/partner/login", people["partner"]["email"], server.password)
            partner.goto(f"{base}/partner/referrals/{seeded['referral_id']}")
            expect(partner.locator("main")).not_to_contain_text(GOAL)  # the program never sees the client's goals
            partner.get_by_label("Change to").select_option("accept")
            partner.get_by_role("button", name="Change status").click()
            expect(partner.locator(".referral-status")).to_contain_text("Accepted")
            partner.get_by_label("Change to").select_option("complete")
            partner.get_by_label("Outcome").select_option("got_help")
            partner.get_by_role("button", name="Change status").click()
            expect(partner.locator(".referral-status")).to_contain_text("Completed")
            expect(partner.locator(".referral-status")).to_contain_text("Got help")

            staff.goto(detail)
            card = staff.locator(f"#referral-goal-{seeded['referral_id']}")
            expect(card).to_contain_text(f"Is the goal “{GOAL}” met?")
            assert axe_violations(staff) == []
            staff.evaluate("window.__sameDocument = true")
            card.get_by_role("button", name="Mark the goal met").click()
            expect(card).to_contain_text("The goal was marked met.")
            expect(card).to_contain_text(f"Part of the goal “{GOAL}” (Met)")
            expect(card).not_to_contain_text("Is the goal")
            assert staff.evaluate("window.__sameDocument === true")

            staff.goto(f"{base}/staff/clients/{people['client']['id']}")
            goal_item = staff.locator("li.goal", has_text=GOAL)
            expect(goal_item).to_contain_text("Met")
            expect(goal_item).to_contain_text("Referral to Harbor Counseling")
        finally:
            for context in contexts:
                context.close()
