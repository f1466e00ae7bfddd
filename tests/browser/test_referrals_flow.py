"""Issue 14 in Chromium, three browser contexts: a case manager refers a client to a partner's program found by
ZIP; the partner's claimer accepts it under Inbound Referrals; the client marks "got help" on the portal; the
history names each person "First L. (Organization)"; a one-tap link's GET changes nothing, its confirm changes
once, a second use is refused."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import seeded_server
from tests.browser.test_portal_family import portal_sign_in
from tests.browser.test_sites_side_by_side import sign_in


def _seed(people: dict) -> dict:
    """Harbor's two programs near Jamie (97401), Pat their claimer; one referral already sent (its link kept)."""
    from sqlalchemy import select

    from portal_app.accounts.models import User
    from portal_app.clients.models import Client
    from portal_app.extensions import db
    from portal_app.outbox import OutboxEmail
    from tests.referrals.conftest import make_program, send

    admin = db.session.scalar(select(User).filter_by(email=people["admin"]["email"]))
    pat = db.session.scalar(select(User).filter_by(email=people["partner"]["email"]))
    casey = db.session.scalar(select(User).filter_by(email=people["case_manager"]["email"]))
    jamie = db.session.get(Client, int(people["client"]["id"]))
    jamie.zip_code = "97401"
    admin.organization.managing_agency_id = None
    pat.organization.managing_agency_id = admin.organization_id  # the agency manages Harbor's programs
    make_program(admin, pat.organization, name="Harbor Counseling", claimers=[pat])
    evening = make_program(admin, pat.organization, name="Harbor Evening Group", claimers=[pat])
    send(casey, jamie, evening)
    body = db.session.scalar(select(OutboxEmail.body_text).where(OutboxEmail.to_address == pat.email)
                             .order_by(OutboxEmail.id.desc()))
    db.session.commit()
    return {"link": re.search(r"(/links/referral/\S+)", body).group(1)}


@pytest.mark.browser
def test_refer_accept_got_help_history_and_one_tap_link(browser, tmp_path):
    with seeded_server(tmp_path, "referrals", _seed) as (server, seeded):
        base, people = server.url, server.people
        contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(3)]
        try:
            staff, partner, portal = (c.new_page() for c in contexts)
            sign_in(staff, f"{base}/staff/login", people["case_manager"]["email"], server.password)
            staff.goto(f"{base}/staff/clients/{people['client']['id']}/referrals")
            staff.get_by_role("link", name="Start a Referral").click()
            expect(staff.locator("main")).to_contain_text("Searching for Jamie Fields")
            card = staff.locator("li.card", has_text="Harbor Counseling").filter(has_not_text="Evening")
            card.get_by_role("link", name=re.compile("^Refer")).click()
            expect(staff.get_by_label("Name")).to_have_value("Jamie Fields")
            staff.get_by_role("button", name="Send referral").click()
            expect(staff.locator(".referral-status")).to_contain_text("Requested")
            detail = staff.url

            sign_in(partner, f"{base}/partner/login", people["partner"]["email"], server.password)
            partner.get_by_role("link", name="Inbound Referrals").click()
            row = partner.locator("tr", has_text="Harbor Counseling")
            row.get_by_role("link", name="Jamie Fields").click()
            partner.get_by_label("Change to").select_option("reject")  # a reason is needed: said in place
            partner.get_by_role("button", name="Change status").click()
            expect(partner.locator("#referral-panel")).to_contain_text("Say why")
            expect(partner.locator(".referral-status")).to_contain_text("Requested")
            partner.get_by_label("Change to").select_option("accept")
            partner.get_by_role("button", name="Change status").click()
            expect(partner.locator(".referral-status")).to_contain_text("Accepted")

            portal_sign_in(portal, base, "jamie", server.password)
            portal.get_by_role("link", name="My referrals").click()
            item = portal.locator("li.card", has_text="Harbor Counseling").filter(has_not_text="Evening")
            item.get_by_role("button", name="I got help").click()
            expect(portal.locator("li.card", has_text="Harbor Counseling").filter(has_not_text="Evening")) \
                .to_contain_text("Got help")

            staff.goto(detail)
            history = staff.locator(".history")
            expect(history).to_contain_text("Casey M. (Riverside County Probation)")
            expect(history).to_contain_text("Pat R. (Harbor Counseling Center)")
            expect(history).to_contain_text("from Requested to Accepted")
            expect(history).to_contain_text("Outcome: Got help")

            link = contexts[2].new_page()
            link.goto(base + seeded["link"])
            expect(link.locator("main")).to_contain_text("Nothing has changed yet")
            partner.goto(f"{base}/partner/referrals")
            expect(partner.locator("tr", has_text="Harbor Evening Group")).to_contain_text("Requested")
            link.get_by_label("Change").select_option("accept")
            link.get_by_role("button", name="Confirm").click()
            expect(link.locator("main")).to_contain_text("Referral updated")
            partner.reload()
            expect(partner.locator("tr", has_text="Harbor Evening Group")).to_contain_text("Accepted")
            link.goto(base + seeded["link"])
            expect(link.locator("main")).to_contain_text("This link was already used")
        finally:
            for context in contexts:
                context.close()
