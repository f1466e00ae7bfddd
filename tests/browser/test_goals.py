"""A case manager adds a client goal and closes it inline (htmx, no reload), and again with JavaScript off."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_sites_side_by_side import sign_in


def _add_goal(page, base: str, client_id: str, title: str) -> None:
    page.goto(f"{base}/staff/clients/{client_id}")
    page.locator("#goals").get_by_role("link", name="Add goal").click()
    page.get_by_role("button", name="Save goal").click()  # nothing filled in: each field says why
    expect(page.locator("#title-error")).to_contain_text("Enter the goal")
    expect(page.locator("#domain-error")).to_contain_text("Choose the area of life")
    page.get_by_label("Goal", exact=True).fill(title)
    page.get_by_label("Area of life").select_option("housing")
    page.get_by_role("button", name="Save goal").click()
    expect(page.locator("#goals")).to_contain_text(title)


def test_goal_is_marked_met_inline_then_reopened(live_server, browser):
    base, people = live_server.url, live_server.people
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, f"{base}/staff/login", people["case_manager"]["email"], live_server.password)
        _add_goal(page, base, people["client"]["id"], "Move into an apartment")
        page.evaluate("window.stillHere = true")  # gone if the page reloads
        page.locator("#goals").get_by_role("button", name=re.compile(r"^Mark met\W+Move into an apartment$")).click()
        goals = page.locator("#goals")
        expect(goals.get_by_role("status")).to_have_text("The goal was marked met.")
        expect(goals.locator("h3")).to_have_text("Closed")
        assert page.evaluate("window.stillHere") is True
        goals.get_by_role("button", name=re.compile(r"^Reopen\W+Move into an apartment$")).click()
        expect(goals.get_by_role("status")).to_have_text("The goal was reopened.")
        expect(goals.locator("h3")).to_have_text("Open")
        assert page.evaluate("window.stillHere") is True
    finally:
        context.close()


def test_goal_is_withdrawn_without_javascript(live_server, browser):
    base, people = live_server.url, live_server.people
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, f"{base}/staff/login", people["case_manager"]["email"], live_server.password)
        _add_goal(page, base, people["client"]["id"], "Renew state ID")
        page.get_by_role("button", name=re.compile(r"^Withdraw\W+Renew state ID$")).click()
        expect(page.locator(".flashes")).to_contain_text("The goal was withdrawn.")
        expect(page.locator("#goals h3")).to_have_text("Closed")
        expect(page.locator("#goals")).to_contain_text("Withdrawn")
    finally:
        context.close()
