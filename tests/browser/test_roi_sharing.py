"""Chromium, issue 13: with "Sharing requires an active ROI" on, Share Client without one is refused (with the
offer to send the ROI form); the client signs the ROI on the portal (360 px); sharing now works; the client
revokes the ROI on the portal; the partner loses the client on its next request."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import seeded_server
from tests.browser.test_portal_family import portal_sign_in
from tests.browser.test_sites_side_by_side import sign_in

REFUSAL = "This agency shares a client only with an organization named in an active Release of Information."


def _requires_roi(people: dict) -> dict:
    """Riverside requires an ROI to share; Harbor works with it and is on Jamie's plan; the ROI form (v2)
    offers Harbor. Committed."""
    from sqlalchemy import select

    from portal_app.accounts.models import Organization, User
    from portal_app.clients.models import Client
    from portal_app.extensions import db
    from portal_app.roi.queries import agency_today
    from tests import factories
    from tests.roi.helpers import roi_form

    admin = db.session.scalar(select(User).where(User.email == people["admin"]["email"]))
    harbor = db.session.scalar(select(Organization).where(Organization.name == people["partner"]["organization"]))
    jamie = db.session.get(Client, int(people["client"]["id"]))
    factories.link(admin.organization, harbor)
    factories.provider(jamie, harbor)
    admin.organization.sharing_requires_roi = True
    roi_form(admin)
    until = (agency_today() + timedelta(days=120)).isoformat()
    db.session.commit()
    return {"client_id": jamie.id, "until": until}


@pytest.mark.browser
def test_sharing_needs_the_roi_the_client_signs_and_ends_when_revoked(tmp_path, browser):
    with seeded_server(tmp_path, "roi", _requires_roi) as (server, seed):
        base, people, client_id = server.url, server.people, seed["client_id"]
        harbor = people["partner"]["organization"]
        staff = browser.new_context().new_page()
        phone_context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
        phone = phone_context.new_page()
        partner = browser.new_context().new_page()
        try:
            sign_in(staff, f"{base}/staff/login", people["case_manager"]["email"], server.password)
            staff.goto(f"{base}/staff/clients/{client_id}/share")
            staff.locator("#organization_id").select_option(label=harbor)
            staff.get_by_role("button", name="Share Client").click()
            expect(staff.locator("main")).to_contain_text(REFUSAL)
            staff.get_by_role("button", name="Send the Release of Information form to the client portal").click()
            expect(staff.locator("main")).to_contain_text("Waiting for the client")

            portal_sign_in(phone, base, people["jamie"]["username"], server.password)
            phone.goto(f"{base}/portal/documents")
            phone.get_by_role("link", name="Release of information").click()
            phone.get_by_label(harbor).check()
            phone.get_by_label("Coordinating my care").check()
            phone.get_by_label("Service plan and progress").check()
            phone.get_by_label("This release ends on").fill(seed["until"])
            phone.get_by_role("button", name="Submit and go to signing").click()
            phone.get_by_role("button", name="I agree to sign electronically").click()
            phone.get_by_label("Your full name").fill("Jamie Fields")
            phone.get_by_label("I agree to sign this document electronically").check()
            phone.get_by_role("button", name="Sign", exact=True).click()
            expect(phone.locator("main")).to_contain_text("You signed")

            staff.goto(f"{base}/staff/clients/{client_id}/roi")
            expect(staff.locator("main table")).to_contain_text(harbor)
            expect(staff.locator("main table")).to_contain_text("Active")
            staff.goto(f"{base}/staff/clients/{client_id}/share")
            staff.locator("#organization_id").select_option(label=harbor)
            staff.get_by_role("button", name="Share Client").click()
            expect(staff.locator("main")).to_contain_text(f"The client was shared with {harbor}")

            sign_in(partner, f"{base}/partner/login", people["partner"]["email"], server.password)
            partner.get_by_role("link", name=people["client"]["name"]).click()
            expect(partner).to_have_url(f"{base}/partner/clients/{client_id}")

            phone.goto(f"{base}/portal/roi")
            phone.get_by_role("link", name="Revoke").click()
            phone.get_by_label("Why are you revoking it? (optional)").fill("I finished the program.")
            phone.get_by_role("button", name="Yes, revoke it").click()
            expect(phone.locator("main")).to_contain_text("Revoked")

            response = partner.goto(f"{base}/partner/clients/{client_id}")
            assert response.status == 404
            partner.goto(f"{base}/partner/")
            expect(partner.locator("main")).not_to_contain_text(people["client"]["name"])
            staff.goto(f"{base}/staff/clients/{client_id}/roi")
            expect(staff.locator("main table")).to_contain_text("Revoked")
        finally:
            phone_context.close()
            staff.context.close()
            partner.context.close()
