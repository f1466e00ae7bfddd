"""P1 on the tablet's screens: each within 60 KB on the wire (HTML <= 15 KB, CSS <= 10 KB, own JS <= 5 KB),
at most 6 requests, no web fonts, Cache-Control: no-store; every form works without JavaScript."""
from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import csrf_token
from tests.kiosk.kiosk_helpers import confirm_birth_date, handoff, pair
from tests.sites.page_weight import measure

KB = 1024


@pytest.mark.parametrize("step", ["pairing", "welcome", "birth date", "form", "signing", "staff sign-in"])
def test_every_tablet_screen_within_budget(client, admin, case_manager, step):
    url = "/kiosk/"
    if step == "pairing":
        url = "/kiosk/login"
    else:
        device = pair(client, admin)
        person = factories.client(admin.organization)
        if step != "welcome":
            h = handoff(admin, case_manager, person, device=device, name="Intake form")
            token = csrf_token(client, "/kiosk/")
            if step in ("form", "signing", "staff sign-in"):
                confirm_birth_date(client, h, person, token)
            if step == "signing":
                h.step = "sign"
            if step == "staff sign-in":
                url = "/kiosk/staff"
    w = measure(client, url)
    assert w.html <= 15 * KB, f"HTML {w.html} B"
    assert w.css <= 10 * KB, f"CSS {w.css} B"
    assert w.own_js <= 5 * KB, f"own JS {w.own_js} B"
    assert w.total <= 60 * KB, f"total {w.total} B"
    assert w.requests <= 6, w.assets
    resp = client.get(url)
    html = resp.get_data(as_text=True)
    assert resp.headers["Cache-Control"] == "no-store"
    assert "@font-face" not in html and ".woff" not in html and "<form" in html
    assert "localStorage" not in html and "sessionStorage" not in html
