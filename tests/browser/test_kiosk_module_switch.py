"""The Kiosk module switched off and on again in Chromium: a paired tablet on its welcome screen turns into the
"Kiosk is turned off" notice by itself (its poll is refused and the page reloads), the case manager no longer
sees the Kiosk button, and once the administrator switches the module back on the same tablet shows the welcome
screen again by itself, without pairing anew. Axe and 44 px targets on the notice."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import seeded_server
from tests.browser.test_kiosk import _check_screen, _kiosk_setting, pair_front_desk_tablet
from tests.browser.test_sites_side_by_side import sign_in

NOTICE = "Kiosk is turned off for this agency. Please ask the front desk."


@pytest.fixture(autouse=True)
def _db():
    """No rolled-back test transaction here: the server commits into its scratch database."""
    yield None


def _set_kiosk_module(admin, base: str, on: bool) -> None:
    admin.goto(f"{base}/staff/admin/settings")
    box = admin.get_by_label("Kiosk", exact=True)
    box.check() if on else box.uncheck()
    admin.get_by_role("button", name="Save").click()
    expect(admin.locator("main")).not_to_contain_text("Someone else changed this first")


def tablet_device_id(admin, base: str) -> str:
    """The kiosk's id, from the link on Account Administration › Kiosks."""
    admin.goto(f"{base}/staff/admin/kiosks")
    href = admin.get_by_role("link", name="Front desk tablet").get_attribute("href")
    return href.rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.browser
def test_the_tablet_follows_the_kiosk_module_switch(tmp_path, browser):
    with seeded_server(tmp_path, "kiosk-module", _kiosk_setting) as (server, setting):
        base, people = server.url, server.people
        staff_context = browser.new_context(viewport={"width": 1280, "height": 800})
        tablet_context = browser.new_context(viewport={"width": 768, "height": 1024})
        problems: dict = {}
        try:
            tablet, admin = tablet_context.new_page(), staff_context.new_page()
            pair_front_desk_tablet(tablet, admin, base, people["admin"]["email"], server.password)

            _set_kiosk_module(admin, base, on=False)
            expect(tablet.locator("h1")).to_have_text("Kiosk is turned off", timeout=10_000)
            expect(tablet.locator("main")).to_contain_text(NOTICE)
            _check_screen(tablet, "turned off", problems)
            tablet.evaluate("window.__notReloaded = true")
            admin.goto(f"{base}/staff/admin/kiosks/{tablet_device_id(admin, base)}")
            expect(admin.locator("main")).to_contain_text("Paired")  # still paired
            expect(admin.get_by_label("Pairing code shown on the tablet")).to_have_count(0)

            manager = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            sign_in(manager, f"{base}/staff/login", people["case_manager"]["email"], server.password)
            manager.goto(f"{base}/staff/clients/{setting['client_id']}")
            expect(manager.get_by_role("link", name="Kiosk", exact=True)).to_have_count(0)

            _set_kiosk_module(admin, base, on=True)
            expect(tablet.locator("h1")).to_have_text("Welcome", timeout=20_000)  # the notice looks every 15 s
            assert tablet.evaluate("window.__notReloaded === true"), "the tablet reloaded"
            expect(tablet).to_have_url(f"{base}/kiosk/")
            manager.reload()
            expect(manager.get_by_role("link", name="Kiosk", exact=True)).to_have_count(1)
        finally:
            staff_context.close()
            tablet_context.close()
        assert not problems, problems

