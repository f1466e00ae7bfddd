"""Issue 13 in Chromium: a case manager sends a packet (assessment + document + location) with htmx; the client,
on a 360 px phone, fills the assessment, uploads a photo, types an address; the case manager sees 100 %,
returns the document with a reason; the client reads the reason and sends it again."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import choose_redrawing, seeded_server
from tests.browser.test_portal_family import portal_sign_in
from tests.browser.test_sites_side_by_side import sign_in


def _offer_requests(people: dict) -> int:
    """The GAD-7 offered as a portal assessment and the agency's document categories; Jamie's id."""
    from sqlalchemy import select

    from portal_app.accounts.models import User
    from portal_app.extensions import db
    from portal_app.requests.categories import install_defaults
    from tests.requests.helpers import gad7

    admin = db.session.scalar(select(User).where(User.email == people["admin"]["email"]))
    gad7(admin)
    for person in db.session.scalars(select(User).where(User.organization_id == admin.organization_id)):
        person.perm_client_portal = True
    install_defaults(admin.organization_id)
    db.session.commit()
    return int(people["client"]["id"])


def _photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (240, 240, 230)).save(out, format="PNG")
    return {"name": "licence.png", "mimeType": "image/png", "buffer": out.getvalue()}


def _send_photo(page) -> None:
    page.get_by_role("link", name="Send a photo or file").click()
    page.locator("input[type=file]").set_input_files(_photo())
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("main")).to_contain_text("Thank you: it was sent.")


@pytest.mark.browser
def test_a_packet_sent_fulfilled_on_a_phone_returned_and_sent_again(tmp_path, browser):
    with seeded_server(tmp_path, "requests", _offer_requests) as (server, client_id):
        staff = browser.new_context(viewport={"width": 1280, "height": 900})
        phone = browser.new_context(viewport={"width": 360, "height": 740})
        try:
            desk = staff.new_page()
            sign_in(desk, f"{server.url}/staff/login", server.people["case_manager"]["email"], server.password)
            requests_url = f"{server.url}/staff/clients/{client_id}/requests"
            desk.goto(requests_url)
            desk.get_by_role("link", name="Send a Packet").click()  # htmx: the form opens on the page
            expect(desk).to_have_url(requests_url)
            desk.get_by_label("Assessment").select_option(label="GAD-7 anxiety screening")
            desk.get_by_label("Ask for the client's location").check()
            choose_redrawing(desk, "First document: category", "Identification", "/requests/packet?")
            expect(desk.locator("#doc1_name_id optgroup")).to_have_count(0)  # the category's names only
            choose_redrawing(desk, "First document: predefined name", "Driver's licence", "/requests/packet?")
            desk.get_by_role("button", name="Send Packet").click()
            expect(desk.locator("main")).to_contain_text("0 of 3 done")

            page = phone.new_page()
            portal_sign_in(page, server.url, server.people["jamie"]["username"], server.password)
            page.get_by_role("link", name="See what is asked").click()
            page.get_by_role("link", name="Fill in").click()
            for name in page.eval_on_selector_all("input[type=radio]", "els => [...new Set(els.map(e => e.name))]"):
                page.locator(f"input[name='{name}']").nth(1).check()
            page.get_by_role("button", name="Send", exact=True).click()
            expect(page.locator("main")).to_contain_text("1 of 3 sent")
            _send_photo(page)
            page.get_by_role("link", name="Share your location").click()
            expect(page.get_by_role("button", name="Use my phone's position")).to_be_visible()  # JS offers it
            page.get_by_label("Address").fill("12 Oak Street, Riverside")
            page.get_by_role("button", name="Send", exact=True).click()
            expect(page.locator("main")).to_contain_text("3 of 3 sent")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360

            desk.goto(requests_url)
            main = desk.locator("main")
            expect(main).to_contain_text("3 of 3 done")
            expect(main).to_contain_text("100 %")
            expect(main).to_contain_text("Score 7")
            expect(main).to_contain_text("12 Oak Street, Riverside")
            # Each answer reached the case manager's Inbox as a PORTAL item, unread, that opens on what was sent.
            desk.locator("nav").get_by_role("link", name=re.compile(r"^Inbox")).click()
            items = desk.locator("tr.unread", has_text="Portal request:")
            expect(items).to_have_count(3)
            expect(items.filter(has_text="Driver's licence")).to_contain_text("PORTAL")
            items.filter(has_text="Driver's licence").get_by_role("link", name=re.compile("Portal request")).click()
            expect(desk.locator("main")).to_contain_text("I sent what you asked for")
            desk.goto(requests_url)
            row = desk.locator("tr", has_text="Driver's licence")
            row.locator("summary", has_text="Return").click()
            row.get_by_label("Why is it returned?").fill("The photo is too dark: please take it in daylight.")
            row.get_by_role("button", name="Return to the client").click()
            expect(desk.locator("tr", has_text="Driver's licence")).to_contain_text("Returned to the client")

            page.goto(f"{server.url}/portal/requests")
            expect(page.locator("main")).to_contain_text("The photo is too dark")
            _send_photo(page)
            desk.goto(requests_url)
            expect(desk.locator("tr", has_text="Driver's licence")).to_contain_text("Fulfilled, to review")
        finally:
            staff.close()
            phone.close()
