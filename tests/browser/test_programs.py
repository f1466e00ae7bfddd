"""A partner manages its program on a 360 px phone; a case manager finds it in the directory by ZIP."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.test_sites_side_by_side import sign_in


def _fits(page: Page, width: int = 360) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{page.url} is {overflow} px wide at {width} px"


def test_partner_adds_a_program_at_360px_and_staff_find_it(live_server, browser):
    base, people = live_server.url, live_server.people
    phone = browser.new_context(viewport={"width": 360, "height": 740})
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        partner = phone.new_page()
        sign_in(partner, f"{base}/partner/login", people["partner"]["email"], live_server.password)
        partner.get_by_role("link", name="Programs").click()
        _fits(partner)
        partner.get_by_role("link", name="Add New").click()
        _fits(partner)
        partner.get_by_role("button", name="Save").click()  # nothing filled in: the field says why
        expect(partner.locator(".field.has-error")).to_contain_text("Enter the program's name.")
        partner.get_by_label("Program name").fill("Harbor Youth Counseling")
        partner.get_by_label("Mental health").check()
        partner.get_by_label("Spanish").check()
        partner.get_by_label("Capacity", exact=True).select_option("waitlist")
        partner.get_by_label("Capacity note").fill("About 15 waiting, 4-6 weeks")
        partner.get_by_role("button", name="Save").click()
        expect(partner.locator("h1")).to_have_text("Harbor Youth Counseling")
        partner.get_by_label("Street address").fill("88 Willow Lane")
        partner.get_by_label("ZIP code", exact=True).fill("97402")
        partner.get_by_role("button", name="Add location").click()
        expect(partner.locator("#locations-heading + ul")).to_contain_text("Eugene OR 97402")
        _fits(partner)

        staff = desk.new_page()
        sign_in(staff, f"{base}/staff/login", people["case_manager"]["email"], live_server.password)
        staff.get_by_role("link", name="Directory").click()
        staff.get_by_label("ZIP code").fill("97401")
        staff.get_by_label("Service category").select_option("mental_health")
        staff.get_by_role("button", name="Search").click()
        results = staff.locator("#directory-results")
        expect(results).to_contain_text("Harbor Youth Counseling")
        expect(results).to_contain_text("Waitlist")
        expect(results).to_contain_text(" mi")
        assert "zip=97401" in staff.url  # htmx pushed the search URL: reload and share work
    finally:
        phone.close()
        desk.close()
