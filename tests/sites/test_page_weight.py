"""P1: portal and kiosk pages stay inside the phone budget."""
import pytest

from tests.sites.page_weight import measure

KB = 1024


@pytest.mark.parametrize("url", ["/portal/login", "/portal/password/forgot", "/kiosk/login", "/links/"])
def test_first_load_within_budget(client, url):
    w = measure(client, url)
    assert w.html <= 15 * KB, f"HTML {w.html} B"
    assert w.css <= 10 * KB, f"CSS {w.css} B"
    assert w.own_js <= 5 * KB, f"own JS {w.own_js} B"
    assert w.total <= 60 * KB, f"total {w.total} B"
    assert w.requests <= 6, w.assets


@pytest.mark.parametrize("url", ["/portal/login", "/kiosk/login"])
def test_no_web_fonts_and_works_without_javascript(client, url):
    html = client.get(url).get_data(as_text=True)
    assert "@font-face" not in html and ".woff" not in html
    # The sign-in/language forms are real forms: nothing depends on JavaScript.
    assert "<form" in html and 'method="post"' in html


@pytest.mark.parametrize("url", ["/portal/", "/portal/switch", "/portal/account"])
def test_signed_in_portal_pages_within_budget(client, url):
    """A guardian of three clients (the header carries the switcher), each client with a care team."""
    from tests import factories
    from tests.factories import care_team
    from tests import factories as pf
    from tests.sites.portal.helpers import portal_login

    agency = factories.agency(phone="541-555-0100", address="1 Main St, Eugene, OR")
    guardian = pf.account("weigher")
    for n in range(3):
        kid = pf.client(agency)
        for _ in range(3):
            care_team(kid, factories.user(agency), role="Case manager")
        pf.access(guardian, kid, label="guardian")
    assert portal_login(client, "weigher").status_code == 302
    w = measure(client, url)
    assert w.html <= 15 * KB, f"HTML {w.html} B"
    assert w.css <= 10 * KB, f"CSS {w.css} B"
    assert w.own_js <= 5 * KB, f"own JS {w.own_js} B"
    assert w.total <= 60 * KB, f"total {w.total} B"
    assert w.requests <= 6, w.assets
    assert "<img" not in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("page", ["list", "conversation"])
def test_portal_message_pages_within_budget(client, page):
    """A guardian of three clients; twenty conversations, the opened one with twenty long formatted messages."""
    from portal_app.messaging import core
    from portal_app.messaging.models import Conversation
    from tests import factories
    from tests.factories import care_team
    from tests import factories as pf
    from tests.sites.portal.helpers import portal_login

    agency = factories.agency(phone="541-555-0100", address="1 Main St, Eugene, OR")
    guardian = pf.account("weigher")
    kids = [pf.client(agency) for _ in range(3)]
    for kid in kids:
        pf.access(guardian, kid, label="guardian")
    staff = factories.user(agency, perm_messaging=True)
    care_team(kids[0], staff)
    body = "<p>Your next appointment is on <strong>Friday at 10</strong>. Please bring:</p>" + "<ul>" + (
        "<li>a photo ID and the letter from the court about your program</li>" * 4) + "</ul>"
    for n in range(20):
        conv = Conversation(client=kids[0], staff=staff, subject=f"Appointment reminder and papers to bring {n}")
        core.append_message(conv, body, staff=staff)
    for _ in range(19):
        core.append_message(conv, body, staff=staff)
    assert portal_login(client, "weigher").status_code == 302
    w = measure(client, "/portal/messages" if page == "list" else f"/portal/messages/{conv.id}")
    print(f"P1 {page}: HTML {w.html} B, CSS {w.css} B, own JS {w.own_js} B, total {w.total} B, {w.requests} requests")
    assert w.html <= 15 * KB, f"HTML {w.html} B"
    assert w.css <= 10 * KB, f"CSS {w.css} B"
    assert w.own_js <= 5 * KB, f"own JS {w.own_js} B"
    assert w.total <= 60 * KB, f"total {w.total} B"
    assert w.requests <= 6, w.assets
