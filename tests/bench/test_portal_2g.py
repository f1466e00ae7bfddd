"""P2 on a slow phone: from the portal sign-in page to reading a long conversation, on a 2G profile.

Debian's Chromium, 360 px wide, the network throttled through the DevTools protocol to 400 ms round
trip and 400 kbit/s each way, a cold cache. Prints the seconds of each step and the total (bar: 4 s).
Run with `make bench` (or pytest tests/bench/test_portal_2g.py -s -o addopts="").
"""
from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from portal_app.extensions import db
from tests.browser.conftest import LiveServer, browser, seeded_server  # noqa: F401 (the browser fixture)

KBIT = 1000 / 8  # bytes per second
PROFILE_2G = {"offline": False, "latency": 400, "downloadThroughput": 400 * KBIT, "uploadThroughput": 400 * KBIT}
BAR_SECONDS = 4.0
LONG = 40  # messages in the conversation read at the end
BODY = ("<p>Your next appointment is on <strong>Friday at 10</strong>. Please bring:</p><ul>"
        + "<li>a photo ID and the letter from the court about your program</li>" * 3 + "</ul>")


def _long_conversation(people: dict) -> str:
    """Jamie's case manager writes a long conversation, Jamie answering now and then; its subject."""
    from portal_app.accounts.models import User
    from portal_app.clients.models import Client
    from portal_app.messaging import core
    from portal_app.messaging.models import Conversation
    from portal_app.portal_access.models import PortalAccount

    client = db.session.get(Client, int(people["client"]["id"]))
    staff = db.session.scalar(db.select(User).filter_by(email=people["case_manager"]["email"]))
    jamie = db.session.scalar(db.select(PortalAccount).filter_by(username=people["jamie"]["username"]))
    subject = "Your program: dates and papers"
    conversation = Conversation(client=client, staff=staff, subject=subject)
    db.session.add(conversation)
    for n in range(LONG):
        if n % 3 == 2:
            core.append_message(conversation, "<p>Thank you, I will be there.</p>", account=jamie)
        else:
            core.append_message(conversation, BODY, staff=staff)
    db.session.commit()
    return subject


@pytest.fixture(autouse=True)
def _db():
    """No rolled-back test transaction here: this module's own app commits into its scratch database."""
    yield None


@pytest.fixture
def portal_server(tmp_path) -> Iterator[tuple[LiveServer, str]]:
    """The browser tests' seeded server, plus a long conversation for Jamie."""
    with seeded_server(tmp_path, "portal_2g", _long_conversation) as served:
        yield served


PAINTED = "() => performance.getEntriesByName('first-contentful-paint').length > 0"


@pytest.mark.browser
def test_sign_in_to_a_long_conversation_on_2g(portal_server, browser):  # noqa: F811
    """Each step runs from the click (or the typed address) until the new page is painted, i.e. readable;
    the time until its `load` event (htmx run) is printed beside it."""
    live, subject = portal_server
    base, password = live.url, live.password
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", PROFILE_2G)
    fetched: list[str] = []
    page.on("requestfinished", lambda r: fetched.append(r.url.removeprefix(base)) if r.sizes()["responseBodySize"] >= 0
            and r.timing["requestStart"] >= 0 else None)  # not the ones served from the browser's cache
    steps: dict[str, tuple[float, float]] = {}

    def step(name: str, action) -> None:
        started = time.perf_counter()
        with page.expect_navigation(wait_until="commit"):
            action()
        page.wait_for_function(PAINTED)
        painted = time.perf_counter() - started
        page.wait_for_load_state("load")
        steps[name] = (painted, time.perf_counter() - started)

    def sign_in() -> None:
        page.get_by_label("Username").fill(live.people["jamie"]["username"])
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    try:
        step("login page", lambda: page.goto(f"{base}/portal/login", wait_until="commit"))
        step("sign-in", sign_in)
        step("messages", lambda: page.locator(".pnav").get_by_role("link", name="Messages").click())
        step("long conversation", lambda: page.get_by_role("link", name=subject).click())
        expect(page.locator(".thread .body").first).to_be_visible()
    finally:
        context.close()
    painted = sum(p for p, _ in steps.values())
    loaded = sum(lo for _, lo in steps.values())
    print("\nP2 on 2G (400 ms RTT, 400 kbit/s each way, 360 px, cold cache): seconds until painted / loaded")
    for name, (p, lo) in steps.items():
        print(f"  {name:<18} {p:5.2f} / {lo:5.2f}")
    print(f"  {'total':<18} {painted:5.2f} / {loaded:5.2f}  (bar {BAR_SECONDS} s)")
    print(f"  {len(fetched)} requests over the network: {fetched}")
    assert painted <= BAR_SECONDS
