"""Chromium, issue 13: a case manager sends Riley's guardian an intake packet (assessment, two documents and a
Release of Information); the guardian, acting for Riley on a 360 px phone, answers everything and signs the ROI;
the case manager sees the packet reach 100 %, the ROI in the Release of Information history, and a second ROI
request refused with the exact sentence and a link to that history."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import choose_redrawing, seeded_server
from tests.browser.test_portal_family import portal_sign_in
from tests.browser.test_requests_flow import _photo
from tests.browser.test_sites_side_by_side import sign_in

EXACT = ("This client already has an active Release of Information. Please review the client's "
         "Release of Information history.")
PHONE = {"width": 360, "height": 740}


def _seed(people: dict) -> dict:
    """Riverside works with Harbor (its ROI form offers it), offers the GAD-7 on the portal, has document
    categories, and its staff hold "Client Portal". Riley (the guardian's second child) has no ROI."""
    from sqlalchemy import select

    from portal_app.accounts.models import Organization, User
    from portal_app.clients.models import Client
    from portal_app.extensions import db
    from portal_app.requests.categories import install_defaults
    from portal_app.roi.queries import agency_today
    from tests import factories
    from tests.requests.helpers import gad7
    from tests.roi.helpers import roi_form

    admin = db.session.scalar(select(User).where(User.email == people["admin"]["email"]))
    harbor = db.session.scalar(select(Organization).where(Organization.name == people["partner"]["organization"]))
    factories.link(admin.organization, harbor)
    roi_form(admin)
    gad7(admin)
    install_defaults(admin.organization_id)
    for person in db.session.scalars(select(User).where(User.organization_id == admin.organization_id)):
        person.perm_client_portal = True
    riley = db.session.scalar(select(Client).where(Client.first_name == "Riley"))
    db.session.commit()
    return {"riley": riley.id, "until": (agency_today() + timedelta(days=180)).isoformat()}


def _choose(desk, label: str, option: str) -> None:
    """Pick an option whose change redraws the packet form (htmx)."""
    choose_redrawing(desk, label, option, "/requests/packet?")


@pytest.mark.browser
def test_an_intake_packet_with_an_roi_signed_for_one_child_then_a_second_roi_refused(tmp_path, browser):
    with seeded_server(tmp_path, "roi-request", _seed) as (server, seed):
        base, people, riley = server.url, server.people, seed["riley"]
        harbor = people["partner"]["organization"]
        staff = browser.new_context(viewport={"width": 1280, "height": 900})
        phone = browser.new_context(viewport=PHONE)
        try:
            desk = staff.new_page()
            sign_in(desk, f"{base}/staff/login", "quinn@riverside.test", server.password)  # Riley's manager
            requests_url = f"{base}/staff/clients/{riley}/requests"
            desk.goto(requests_url)
            desk.get_by_role("link", name="Send a Packet").click()
            desk.get_by_label("Assessment").select_option(label="GAD-7 anxiety screening")
            _choose(desk, "First document: category", "Identification")
            _choose(desk, "First document: predefined name", "Driver's licence")
            _choose(desk, "Second document: category", "Income")
            _choose(desk, "Second document: predefined name", "Pay stub")
            desk.get_by_label("Ask for a Release of Information").check()
            desk.get_by_role("button", name="Send Packet").click()
            expect(desk.locator("main")).to_contain_text("0 of 4 done")

            page = phone.new_page()
            portal_sign_in(page, base, people["guardian"]["username"], server.password)
            page.get_by_role("button", name="Act for Riley").click()
            expect(page.locator(".acting")).to_contain_text("Riley Stone")
            page.goto(f"{base}/portal/requests")
            page.get_by_role("link", name="Fill in", exact=True).click()
            for name in page.eval_on_selector_all("input[type=radio]", "els => [...new Set(els.map(e => e.name))]"):
                page.locator(f"input[name='{name}']").nth(1).check()
            page.get_by_role("button", name="Send", exact=True).click()
            expect(page.locator("main")).to_contain_text("1 of 4 sent")
            for _ in range(2):
                page.get_by_role("link", name="Send a photo or file").first.click()
                page.locator("input[type=file]").set_input_files(_photo())
                page.get_by_role("button", name="Send", exact=True).click()
                expect(page.locator("main")).to_contain_text("Thank you: it was sent.")
            expect(page.locator("main")).to_contain_text("3 of 4 sent")

            page.get_by_role("link", name="Fill in and sign").click()  # the ROI request opens its form
            expect(page).to_have_url(re.compile(r"/portal/documents/\d+$"))
            page.get_by_label(harbor).check()
            page.get_by_label("Coordinating my care").check()
            page.get_by_label("Service plan and progress").check()
            page.get_by_label("This release ends on").fill(seed["until"])
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            page.get_by_role("button", name="Submit and go to signing").click()
            page.get_by_role("button", name="I agree to sign electronically").click()
            expect(page.locator("main")).to_contain_text("You sign as mother, for Riley Stone")
            page.get_by_label("Your full name").fill("Dana Stone")
            page.get_by_label("I agree to sign this document electronically").check()
            page.get_by_role("button", name="Sign", exact=True).click()
            expect(page.locator("main")).to_contain_text("You signed")
            page.goto(f"{base}/portal/requests")
            expect(page.locator("main")).to_contain_text("4 of 4 sent")
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

            desk.goto(requests_url)
            main = desk.locator("main")
            expect(main).to_contain_text("4 of 4 done")
            expect(main).to_contain_text("100 %")
            expect(main).to_contain_text("ROI signed, valid until")
            desk.get_by_role("link", name="Release of Information history").first.click()
            expect(desk).to_have_url(f"{base}/staff/clients/{riley}/roi")
            expect(desk.locator("main table")).to_contain_text(harbor)
            expect(desk.locator("main table")).to_contain_text("Active")

            desk.goto(requests_url)
            desk.get_by_role("link", name="Send New Request").click()  # htmx: the form opens on the page
            choose_redrawing(desk, "Type of request", "Release of Information", "/requests/new?")
            desk.get_by_role("button", name="Send Request").click()
            refusal = desk.locator("#request-form .error-summary")
            expect(refusal).to_have_text(EXACT)
            desk.locator("#request-form").get_by_role("link", name="Release of Information history").click()
            expect(desk).to_have_url(f"{base}/staff/clients/{riley}/roi")
        finally:
            staff.close()
            phone.close()
