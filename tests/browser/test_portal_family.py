"""The client portal in a real browser: beside a staff session, and one family login for two children."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_sites_side_by_side import expect_signed_in, sign_in


def portal_sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/portal/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/portal/")


@pytest.mark.browser
def test_staff_and_portal_signed_in_at_once(live_server, browser):
    base, people = live_server.url, live_server.people
    family = people["guardian"]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        staff = context.new_page()
        sign_in(staff, f"{base}/staff/login", people["case_manager"]["email"], live_server.password)
        portal = context.new_page()
        portal.set_viewport_size({"width": 360, "height": 740})  # a phone
        portal_sign_in(portal, base, family["username"], live_server.password)
        cookies = {c["name"]: c for c in context.cookies()}
        # One session cookie per site; beside them only the portal's language code, which its emailed links'
        # pages follow (portal_app/i18n.py): nothing personal, no session.
        assert {name: c["path"] for name, c in cookies.items() if name != "cp_lang"} == {
            "cp_staff": "/staff", "cp_portal": "/portal"}
        assert cookies["cp_lang"]["value"] in ("en", "es") and cookies["cp_lang"]["httpOnly"]
        for _ in range(3):
            staff.reload()
            expect_signed_in(staff, people["case_manager"]["name"])
            portal.reload()
            expect(portal.locator(".acting")).to_contain_text(family["first"])
        staff.get_by_role("link", name="Clients").click()
        expect(staff.locator("main")).to_contain_text("Fields, Jamie")
        portal.get_by_role("link", name="Account").click()
        expect(portal.locator("main")).to_contain_text(family["username"])
        portal.get_by_role("button", name="Sign out").click()
        staff.reload()
        expect_signed_in(staff, people["case_manager"]["name"])
    finally:
        context.close()


@pytest.mark.browser
def test_switching_children_never_mixes_their_records(live_server, browser, tmp_path):
    base, family = live_server.url, live_server.people["guardian"]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        portal_sign_in(page, base, family["username"], live_server.password)
        main = page.locator("main")
        expect(page.locator(".acting")).to_contain_text(family["first"])
        expect(main).to_contain_text(family["first_manager"])
        expect(main).not_to_contain_text(family["second"])
        expect(main).not_to_contain_text(family["second_manager"])

        page.get_by_role("button", name="Act for Riley").click()  # no second sign-in
        expect(page.locator(".acting")).to_contain_text(family["second"])
        expect(main).to_contain_text(family["second_manager"])
        expect(main).not_to_contain_text(family["first"])
        expect(main).not_to_contain_text(family["first_manager"])
        page.screenshot(path=str(tmp_path / "portal-riley.png"), full_page=True)

        page.reload()  # the choice is kept in the portal session
        expect(page.locator(".acting")).to_contain_text(family["second"])
        page.get_by_role("button", name="Act for Avery").click()
        expect(page.locator(".acting")).to_contain_text(family["first"])
        expect(main).not_to_contain_text(family["second_manager"])
    finally:
        context.close()
