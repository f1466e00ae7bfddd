"""Issue 14 item 5 in Chromium, two browser contexts: the case manager's open dashboards (the client's Referrals
tab and the referral's page) show "Accepted" within 5 s after the partner accepts, without a reload; a note being
typed on the referral page is left alone while the page keeps following."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import seeded_server
from tests.browser.test_sites_side_by_side import sign_in


def _seed(people: dict) -> dict:
    """Harbor's program near Jamie, Pat its claimer; Casey already referred Jamie to it."""
    from sqlalchemy import select

    from portal_app.accounts.models import User
    from portal_app.clients.models import Client
    from portal_app.extensions import db
    from tests.referrals.conftest import make_program, send

    admin = db.session.scalar(select(User).filter_by(email=people["admin"]["email"]))
    pat = db.session.scalar(select(User).filter_by(email=people["partner"]["email"]))
    casey = db.session.scalar(select(User).filter_by(email=people["case_manager"]["email"]))
    jamie = db.session.get(Client, int(people["client"]["id"]))
    admin.organization.managing_agency_id = None
    pat.organization.managing_agency_id = admin.organization_id
    referral = send(casey, jamie, make_program(admin, pat.organization, name="Harbor Counseling", claimers=[pat]))
    db.session.commit()
    return {"referral": referral.id}


@pytest.mark.browser
def test_the_case_managers_open_dashboards_show_accepted_within_5_s(browser, tmp_path):
    with seeded_server(tmp_path, "referrals_live", _seed) as (server, seeded):
        base, people = server.url, server.people
        contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
        try:
            staff, partner = (c.new_page() for c in contexts)
            sign_in(staff, f"{base}/staff/login", people["case_manager"]["email"], server.password)
            staff.goto(f"{base}/staff/clients/{people['client']['id']}/referrals")
            expect(staff.locator("#client-referrals tr", has_text="Harbor Counseling")).to_contain_text("Requested")
            detail = contexts[0].new_page()
            detail.goto(f"{base}/staff/referrals/{seeded['referral']}")
            for page in (staff, detail):
                page.evaluate("window.stillTheSamePage = true")
            detail.get_by_role("textbox", name="Note").fill("Half-written note")

            sign_in(partner, f"{base}/partner/login", people["partner"]["email"], server.password)
            partner.goto(f"{base}/partner/referrals/{seeded['referral']}")
            partner.get_by_label("Change to").select_option("accept")
            partner.get_by_role("button", name="Change status").click()
            expect(partner.locator(".referral-status")).to_contain_text("Accepted")

            expect(staff.locator("#client-referrals tr", has_text="Harbor Counseling")).to_contain_text(
                "Accepted", timeout=5000)
            assert staff.evaluate("window.stillTheSamePage") is True  # no reload
            # The referral page holds a note being written: it is not redrawn under the writer's hands ...
            staff.wait_for_timeout(4000)
            expect(detail.locator(".referral-status")).to_contain_text("Requested")
            expect(detail.get_by_role("textbox", name="Note")).to_have_value("Half-written note")
            # ... and follows again once the note is gone.
            detail.get_by_role("textbox", name="Note").fill("")
            detail.locator("h1").click()
            expect(detail.locator(".referral-status")).to_contain_text("Accepted", timeout=5000)
            expect(detail.locator(".history")).to_contain_text(re.compile("from Requested to Accepted"))
            assert detail.evaluate("window.stillTheSamePage") is True
        finally:
            for context in contexts:
                context.close()
