"""One browser, two sites: per-site session cookies keep staff and partner sign-ins apart (S4)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect


def sign_in(page: Page, url: str, email: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def expect_signed_in(page: Page, name: str) -> None:
    expect(page.locator("header .user-menu")).to_contain_text(name)


@pytest.mark.browser
def test_staff_and_partner_stay_signed_in_side_by_side(live_server, browser, tmp_path):
    base = live_server.url
    staff_person, partner_person = live_server.people["case_manager"], live_server.people["partner"]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        staff = context.new_page()
        sign_in(staff, f"{base}/staff/login", staff_person["email"], live_server.password)
        expect(staff).to_have_url(f"{base}/staff/")
        expect_signed_in(staff, staff_person["name"])

        partner = context.new_page()  # another tab of the same browser: same cookie jar
        sign_in(partner, f"{base}/partner/login", partner_person["email"], live_server.password)
        expect(partner).to_have_url(f"{base}/partner/")
        expect_signed_in(partner, partner_person["name"])

        cookies = {c["name"]: c["path"] for c in context.cookies()}
        assert cookies == {"cp_staff": "/staff", "cp_partner": "/partner"}

        for _ in range(3):
            staff.reload()
            expect_signed_in(staff, staff_person["name"])
            partner.reload()
            expect_signed_in(partner, partner_person["name"])
        staff.get_by_role("link", name="My Account").click()
        expect(staff).to_have_url(f"{base}/staff/account")
        expect(staff.locator("main")).to_contain_text(staff_person["email"])
        partner.get_by_role("link", name="Password").click()
        expect(partner).to_have_url(f"{base}/partner/account/password")
        staff.get_by_role("link", name="Home").click()
        partner.get_by_role("link", name="Shared clients").click()
        expect_signed_in(staff, staff_person["name"])
        expect_signed_in(partner, partner_person["name"])
        expect(partner.locator("main")).to_contain_text(partner_person["organization"])

        staff.screenshot(path=str(tmp_path / "staff-home.png"), full_page=True)
        partner.screenshot(path=str(tmp_path / "partner-home.png"), full_page=True)

        staff.get_by_role("button", name="Sign out").click()
        expect(staff).to_have_url(f"{base}/staff/login")
        expect(staff.locator(".flashes")).to_contain_text("You have signed out.")
        staff.goto(f"{base}/staff/")
        expect(staff).to_have_url(re.compile(rf"^{re.escape(base)}/staff/login\?next="))
        partner.reload()
        expect_signed_in(partner, partner_person["name"])
        partner.goto(f"{base}/partner/account/password")
        expect_signed_in(partner, partner_person["name"])
    finally:
        context.close()
