"""Chromium: an administrator builds a form without JavaScript, reorders with htmx, and previews it in Spanish
on a 360 px screen, where Check answers shows Spanish errors tied to their questions."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_sites_side_by_side import sign_in


def add_field(page, kind: str, english: str, spanish: str, **extra: str) -> None:
    page.locator("#new-field-kind").select_option(kind)
    page.get_by_role("button", name="Add field").click()
    page.locator("#label_en").fill(english)
    page.locator("#label_es").fill(spanish)
    for selector, value in extra.items():
        if value == "check":
            page.locator(f"#{selector}").check()
        else:
            page.locator(f"#{selector}").fill(value)
    page.get_by_role("button", name="Add field").click()
    expect(page.locator("#draft")).to_contain_text(english)


def test_build_publish_and_preview_without_javascript(browser, live_server):
    admin = live_server.people["admin"]["email"]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, f"{live_server.url}/staff/login", admin, live_server.password)
    page.goto(f"{live_server.url}/staff/account")
    page.get_by_role("link", name="Forms").click()
    page.get_by_role("link", name="Add New").click()
    page.locator("#name").fill("Household survey")
    page.locator("#name_es").fill("Encuesta del hogar")
    page.locator("#category").select_option("intake")
    page.get_by_role("button", name="Add form").click()
    add_field(page, "short_text", "Your name", "Su nombre", required="check")
    add_field(page, "number", "People at home", "Personas en el hogar", min_value="1", max_value="30")
    page.get_by_role("button", name="Move up field 2").click()
    expect(page.locator(".field-row").first).to_contain_text("People at home")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.locator("main")).to_contain_text("Version 1, published")
    context.close()

    phone = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = phone.new_page()
    sign_in(page, f"{live_server.url}/staff/login", admin, live_server.password)
    page.goto(f"{live_server.url}/staff/admin/forms")
    page.get_by_role("link", name="Household survey").click()
    page.locator("#current-heading ~ p a", has_text="Spanish").click()
    form = page.locator(".form-preview")
    expect(form).to_have_attribute("lang", "es")
    page.get_by_label("Personas en el hogar").fill("0")
    page.get_by_role("button", name="Revisar las respuestas").click()
    name = page.get_by_label("Su nombre")
    expect(name).to_have_attribute("aria-invalid", "true")
    described = name.get_attribute("aria-describedby")
    assert page.locator(f"#{described}").inner_text() == "Responda esta pregunta."
    expect(form).to_contain_text("Escriba un número igual o mayor que 1.")
    width = page.evaluate("document.documentElement.scrollWidth")
    box = page.get_by_role("button", name="Revisar las respuestas").bounding_box()
    assert width <= 360 and box["height"] >= 44
    phone.close()


def test_moving_a_field_with_htmx_keeps_the_page(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, f"{live_server.url}/staff/login", live_server.people["admin"]["email"], live_server.password)
    page.goto(f"{live_server.url}/staff/admin/forms/new")
    page.locator("#name").fill("Consent")
    page.locator("#name_es").fill("Consentimiento")
    page.get_by_role("button", name="Add form").click()
    add_field(page, "heading", "First", "Primero")
    add_field(page, "yes_no", "Second", "Segundo")
    with page.expect_response(re.compile(r"/move$")) as moved:
        page.get_by_role("button", name="Move down field 1").click()
    assert moved.value.status == 200 and moved.value.request.headers.get("hx-request") == "true"  # a fragment
    expect(page.locator(".field-row").first).to_contain_text("Second")
    with page.expect_response(re.compile(r"/remove$")) as removed:
        page.get_by_role("button", name="Remove field 2").click()
    assert removed.value.status == 200
    expect(page.locator(".field-row")).to_have_count(1)
    context.close()
