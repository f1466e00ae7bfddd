"""Messaging in a real browser: a formatted message from staff, read and answered on the portal, and
answered again inline from the staff inbox."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_portal_family import portal_sign_in
from tests.browser.test_sites_side_by_side import sign_in


@pytest.mark.browser
def test_staff_message_portal_reply_and_inline_response(live_server, browser, tmp_path):
    base, people = live_server.url, live_server.people
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        # The case manager writes to Jamie from the profile, with bold text and a bulleted list.
        staff = context.new_page()
        sign_in(staff, f"{base}/staff/login", people["case_manager"]["email"], live_server.password)
        staff.goto(f"{base}/staff/clients/{people['client']['id']}")
        staff.locator("a.under-photo", has_text="Send Message").click()
        staff.get_by_label("Subject").fill("Friday appointment")
        editor = staff.locator(".composer-editor")
        expect(editor).to_be_visible()  # the toolbar's editor replaces the plain textarea
        editor.click()
        staff.get_by_role("button", name="Bold").click()
        staff.keyboard.type("Bring your ID")
        staff.get_by_role("button", name="Bold").click()
        staff.keyboard.press("Enter")
        staff.get_by_role("button", name="Bulleted list").click()
        staff.keyboard.type("Photo ID")
        staff.keyboard.press("Enter")
        staff.keyboard.type("Court letter")
        staff.get_by_role("button", name="Send Message").click()
        expect(staff.locator("main")).to_contain_text("Friday appointment")

        # In another tab Jamie reads it on a phone and replies.
        portal = context.new_page()
        portal.set_viewport_size({"width": 360, "height": 740})
        portal_sign_in(portal, base, people["jamie"]["username"], live_server.password)
        nav_messages = portal.locator(".pnav").get_by_role("link", name="Messages")
        expect(nav_messages).to_contain_text("1")  # one unread conversation
        nav_messages.click()
        expect(portal.locator(".convs .new")).to_have_count(1)
        portal.get_by_role("link", name="Friday appointment").click()
        body = portal.locator(".thread .body").first
        expect(body.locator("strong, b")).to_have_text("Bring your ID")
        expect(body.locator("ul li")).to_have_text(["Photo ID", "Court letter"])
        expect(portal.locator(".thread")).to_contain_text(people["case_manager"]["name"])
        portal.get_by_label("Your reply").fill("Thanks, I will bring both.")
        portal.get_by_role("button", name="Send reply").click()
        expect(portal.locator(".flash")).to_contain_text("Your reply was sent.")
        expect(portal.locator(".thread .mine")).to_contain_text("Thanks, I will bring both.")
        expect(portal.locator(".thread .mine .who")).to_contain_text("You")
        portal.screenshot(path=str(tmp_path / "portal_conversation.png"), full_page=True)
        assert portal.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling

        # The inbox shows the conversation with the PORTAL label, unread; Send Response appends inline.
        staff.goto(f"{base}/staff/messages")
        row = staff.locator("tr", has_text="Friday appointment")
        expect(row.locator(".tag-portal")).to_have_text("PORTAL")
        expect(row).to_contain_text("1 unread")  # bold, with its count (issue 10 item 7)
        expect(row).to_have_class("unread")
        row.get_by_role("link", name="Friday appointment").click()
        expect(staff.locator("#messages")).to_contain_text("Thanks, I will bring both.")
        url = staff.url
        staff.evaluate("window.__samePage = true")
        staff.locator(".composer-editor").click()
        staff.keyboard.type("See you on Friday at 10.")
        staff.get_by_role("button", name="Send Response").click()
        expect(staff.locator("#messages")).to_contain_text("See you on Friday at 10.")
        assert staff.url == url and staff.evaluate("window.__samePage === true")  # no page reload
        expect(staff.locator("#messages > li")).to_have_count(3)
    finally:
        context.close()
