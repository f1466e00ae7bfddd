"""The waiting-room kiosk in Chromium: an administrator pairs a tablet (a second browser context) by its code;
a case manager sends a form from the client's page; the tablet shows "Form for J. F." without a reload; the
client confirms the date of birth, fills and signs; the sealed PDF is in the client's Documents tab; the
tablet is back to welcome and its history shows nothing of the client. Axe and 44 px targets on every
tablet screen at 768x1024, 1280x800 and 320 px."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import axe_violations, small_targets
from tests.browser.conftest import seeded_server
from tests.browser.test_sites_side_by_side import sign_in

TABLET_SIZES = ((768, 1024), (1280, 800), (320, 640))
CLIENT_WORDS = ("Jamie", "Fields", "J. F.", "1990-04-17", "Yes, I am here for my appointment")


@pytest.fixture(autouse=True)
def _db():
    """No rolled-back test transaction here: the server commits into its scratch database."""
    yield None


def _kiosk_setting(people: dict) -> dict:
    """A location, an unpaired kiosk, a form fillable on kiosks (one question, the client's signature);
    Jamie's date of birth. Committed."""
    from datetime import date

    from sqlalchemy import select

    from portal_app.accounts.models import User
    from portal_app.clients.models import Client
    from portal_app.documents.services import install_template
    from portal_app.extensions import db
    from portal_app.kiosk import devices

    admin = db.session.scalar(select(User).where(User.email == people["admin"]["email"]))
    jamie = db.session.get(Client, int(people["client"]["id"]))
    jamie.date_of_birth = date(1990, 4, 17)
    place = devices.create_location(admin, name="Main office", address="1 Main St")
    devices.add_kiosk(admin, name="Front desk tablet", location=place)
    install_template(admin, name="Check-in questions", name_es="Preguntas de llegada", category="other", fields=[
        {"key": "here", "kind": "yes_no", "label": {"en": "Are you here for your appointment today?",
                                                     "es": "¿Viene a su cita de hoy?"}, "required": True},
        {"key": "sign_client", "kind": "signature", "label": {"en": "Signature of the client", "es": "Firma"},
         "signer": "client"}], flags={"fillable_kiosk": True})
    db.session.commit()
    return {"url": db.engine.url.render_as_string(hide_password=False), "client_id": jamie.id}


def _check_screen(page: Page, where: str, problems: dict) -> None:
    for width, height in TABLET_SIZES:
        page.set_viewport_size({"width": width, "height": height})
        if found := axe_violations(page):
            problems[f"axe {where} @{width}"] = found
        if found := small_targets(page):
            problems[f"targets {where} @{width}"] = found
    page.set_viewport_size({"width": 768, "height": 1024})


def _seal(tmp_path, url: str) -> int:
    """The worker's sealing pass, on the live server's database and files."""
    from portal_app import create_app
    from portal_app.extensions import db
    from portal_app.worker import run_document_sealing

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "FILES_DIR": str(tmp_path / "files"),
                              "MAIL_OUTBOX_DIR": str(tmp_path / "outbox")})
    with app.app_context():
        try:
            return run_document_sealing()
        finally:
            db.session.remove()
            db.engine.dispose()


def pair_front_desk_tablet(tablet: Page, admin: Page, base: str, admin_email: str, password: str) -> None:
    """The tablet shows a pairing code; the administrator signs in and types it on the Front desk tablet's page;
    the tablet moves to its welcome screen by itself."""
    tablet.goto(f"{base}/kiosk/")
    tablet.get_by_role("button", name="Show a pairing code").click()
    code = tablet.locator("#pairing-code").inner_text().strip()
    sign_in(admin, f"{base}/staff/login", admin_email, password)
    admin.goto(f"{base}/staff/admin/kiosks")
    admin.get_by_role("link", name="Front desk tablet").click()
    admin.get_by_label("Pairing code shown on the tablet").fill(code)
    admin.get_by_role("button", name="Pair").click()
    expect(tablet.locator("h1")).to_have_text("Welcome", timeout=10_000)


@pytest.mark.browser
def test_pair_hand_off_fill_sign_and_forget(tmp_path, browser):
    with seeded_server(tmp_path, "kiosk", _kiosk_setting) as (server, setting):
        base, people = server.url, server.people
        staff_context = browser.new_context(viewport={"width": 1280, "height": 800})
        tablet_context = browser.new_context(viewport={"width": 768, "height": 1024})
        problems: dict = {}
        try:
            tablet = tablet_context.new_page()
            tablet.goto(f"{base}/kiosk/")
            expect(tablet).to_have_url(f"{base}/kiosk/login?next=/kiosk/")
            tablet.get_by_role("button", name="Show a pairing code").click()
            code = tablet.locator("#pairing-code").inner_text().strip()
            assert len(code) == 6
            _check_screen(tablet, "pairing code", problems)

            admin = staff_context.new_page()
            sign_in(admin, f"{base}/staff/login", people["admin"]["email"], server.password)
            admin.goto(f"{base}/staff/admin/kiosks")
            admin.get_by_role("link", name="Front desk tablet").click()
            admin.get_by_label("Pairing code shown on the tablet").fill(code)
            admin.get_by_role("button", name="Pair").click()
            expect(admin.locator("main")).to_contain_text("The code was accepted")
            expect(tablet.locator("h1")).to_have_text("Welcome", timeout=10_000)  # the pairing page polls, moves on
            expect(tablet).to_have_url(f"{base}/kiosk/")
            admin.reload()
            expect(admin.locator(".facts")).to_contain_text("Paired")
            expect(tablet.locator("h1")).to_have_text("Welcome")
            cookie = next(c for c in tablet_context.cookies() if c["name"] == "cp_kiosk_device")
            assert cookie["httpOnly"] and cookie["path"] == "/kiosk" and cookie["sameSite"] == "Strict"
            _check_screen(tablet, "welcome", problems)
            tablet.evaluate("window.__notReloaded = true")

            manager = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            sign_in(manager, f"{base}/staff/login", people["case_manager"]["email"], server.password)
            manager.goto(f"{base}/staff/clients/{setting['client_id']}")
            manager.get_by_role("link", name="Kiosk", exact=True).click()
            manager.get_by_label("Form", exact=True).select_option(label="Check-in questions (version 1)")
            manager.get_by_label("Send to", exact=True).select_option(label="Front desk tablet (Main office)")
            manager.get_by_role("button", name="Send to the kiosk").click()
            sent = time.monotonic()
            expect(manager.locator("#kiosk-handoffs")).to_contain_text("Waiting for the client at the tablet")
            expect(tablet.locator("h1")).to_have_text("Form for J. F.", timeout=2000)
            assert time.monotonic() - sent <= 2.0 + 0.5  # the manager's page load is inside the measure
            assert tablet.evaluate("window.__notReloaded === true"), "the tablet reloaded"
            assert "Fields" not in tablet.locator("main").inner_text()
            _check_screen(tablet, "date of birth", problems)

            tablet.get_by_label("Before we start, please confirm your date of birth.").fill("1990-04-17")
            tablet.get_by_role("button", name="Continue").click()
            expect(tablet.locator("h1")).to_have_text("Check-in questions")
            _check_screen(tablet, "form", problems)
            tablet.get_by_role("button", name="Continue to signing").click()
            expect(tablet.locator(".error-summary")).to_be_visible()  # the required question, checked on the server
            tablet.get_by_role("radio", name="Yes").check()
            tablet.get_by_role("button", name="Continue to signing").click()
            expect(tablet.locator("h1")).to_contain_text("Sign")
            _check_screen(tablet, "sign", problems)
            tablet.get_by_label("Type your full name").fill("Jamie Fields")
            tablet.get_by_label("I agree to sign this document electronically on this tablet").check()
            tablet.get_by_role("button", name="Sign and finish").click()
            expect(tablet.locator("main")).to_contain_text("Thank you, you are done")
            expect(tablet.locator("h1")).to_have_text("Welcome")
            for _ in range(6):  # every earlier screen of this visit: the welcome screen again, nothing of Jamie
                if tablet.go_back() is None:
                    break
                text = tablet.content()
                assert not any(word in text for word in CLIENT_WORDS), tablet.url
            assert _seal(tmp_path, setting["url"]) == 1
            manager.goto(f"{base}/staff/clients/{setting['client_id']}/documents")
            row = manager.locator("tr", has_text="Check-in questions")
            expect(row).to_contain_text("Completed")
            expect(manager.locator("#kiosk-handoffs")).to_have_count(0)
            pdf = manager.request.get(base + row.get_by_role("link", name="Download").get_attribute("href"))
            assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
        finally:
            staff_context.close()
            tablet_context.close()
        assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
