"""The whole seed-000 workflow in one browser: set up a partner, share a client, review its contact."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_sites_side_by_side import sign_in

PARTNER_ORG = "Northside Recovery Collective"
PARTNER_EMAIL = "intake@northside.test"
PARTNER_PASSWORD = "a long partner password"
SHARE_NOTE = "Please call Jamie before the first group session."
CONTACT_NOTES = "Jamie attended intake and joined the Tuesday group."


def admin_adds_partner(page: Page, base: str) -> None:
    page.goto(f"{base}/staff/admin/organizations")
    page.get_by_role("link", name="Add New").click()
    page.locator("#name").fill(PARTNER_ORG)
    page.locator("#phone").fill("(541) 555-0150")
    page.locator("#contact_name").fill("Robin Vega")
    page.locator("#contact_email").fill("robin@northside.test")
    page.locator("#sharing_enabled").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text(PARTNER_ORG)

    page.goto(f"{base}/staff/admin/users")
    page.get_by_role("link", name="Add New").click()
    page.locator("#email").fill(PARTNER_EMAIL)
    page.locator("#password").fill(PARTNER_PASSWORD)
    page.locator("#first_name").fill("Robin")
    page.locator("#last_name").fill("Vega")
    page.locator("#organization_id").select_option(label=PARTNER_ORG)
    page.locator("#role").select_option("partner")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text(PARTNER_EMAIL)


def case_manager_shares(page: Page, base: str, client_id: str) -> None:
    page.goto(f"{base}/staff/clients/{client_id}")
    page.get_by_role("link", name="Plan").click()
    page.locator("#organization_id").select_option(label=PARTNER_ORG)
    page.locator("#service").fill("Outpatient recovery group")
    page.get_by_role("button", name="Add Service Provider").click()
    expect(page.locator("main")).to_contain_text("Outpatient recovery group")

    menu = page.locator("details").filter(has=page.locator("summary", has_text="More"))  # toolbar overflow menu
    menu.locator("summary").click()
    menu.get_by_role("link", name="Share Client").click()
    page.locator("#organization_id").select_option(label=PARTNER_ORG)
    page.locator("#note").fill(SHARE_NOTE)
    page.get_by_role("button", name="Share Client").click()
    expect(page.locator("main")).to_contain_text(SHARE_NOTE)


def partner_records_contact(page: Page, base: str, client_name: str) -> None:
    sign_in(page, f"{base}/partner/login", PARTNER_EMAIL, PARTNER_PASSWORD)
    page.get_by_role("link", name=client_name).click()
    expect(page.locator("main")).to_contain_text(SHARE_NOTE)
    page.get_by_role("link", name=re.compile("Record (a )?Contact", re.I)).click()
    page.locator("#method").select_option("in_person")
    page.locator("#location").fill("Northside, room 4")
    page.locator("#notes").fill(CONTACT_NOTES)
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator("main")).to_contain_text(CONTACT_NOTES)
    expect(page.locator("main")).to_contain_text("Needs Review")


@pytest.mark.browser
def test_share_a_client_and_review_the_partners_contact(live_server, browser, tmp_path):
    base, people = live_server.url, live_server.people
    client = people["client"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        admin = context.new_page()
        sign_in(admin, f"{base}/staff/login", people["admin"]["email"], live_server.password)
        admin_adds_partner(admin, base)
        admin.get_by_role("button", name="Sign out").click()

        staff = context.new_page()
        sign_in(staff, f"{base}/staff/login", people["case_manager"]["email"], live_server.password)
        case_manager_shares(staff, base, client["id"])

        partner = context.new_page()  # same browser, the other site: both stay signed in
        partner_records_contact(partner, base, client["name"])

        staff.goto(f"{base}/staff/")
        review_list = staff.locator("main")
        expect(review_list).to_contain_text("Needs Review")
        row = staff.locator("li, tr").filter(has_text=client["name"]).filter(
            has=staff.get_by_role("button", name=re.compile("^Mark as Reviewed"))
        ).first
        expect(row).to_be_visible()
        url_before = staff.url
        row.get_by_role("button", name=re.compile("^Mark as Reviewed")).click()
        expect(row).to_have_count(0)  # gone in place, no reload
        assert staff.url == url_before
        # The list says what happened, and shows its empty state once nothing is left (issue 10, item 15).
        expect(staff.locator("#needs-review-status")).to_contain_text("Marked as reviewed: the contact of ")
        expect(staff.locator("#needs-review-status")).to_contain_text(f"by {PARTNER_ORG}.")
        if "Nothing else needs review" in staff.locator("#needs-review-status").inner_text():
            expect(staff.locator("#needs-review-after")).to_contain_text("No contacts from partner organizations")
        staff.screenshot(path=str(tmp_path / "staff-home.png"), full_page=True)

        staff.goto(f"{base}/staff/clients/{client['id']}/log")
        entry = staff.locator("main").locator("article, li").filter(has_text=CONTACT_NOTES).first
        for tag in ("Actual", "Third-Party", "Reviewed"):
            expect(entry).to_contain_text(tag)
        expect(entry).to_contain_text("Casey Morgan")
        staff.screenshot(path=str(tmp_path / "client-log.png"), full_page=True)
    finally:
        context.close()
