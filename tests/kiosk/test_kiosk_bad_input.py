"""R4 on a paired tablet: junk in every kiosk form at every step answers 4xx or a redirect, never 5xx."""
from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import csrf_token
from tests.kiosk.kiosk_helpers import confirm_birth_date, handoff, pair

BIG = "99999999999999999999999"
JUNK = {"handoff": BIG, "birth_date": "2026-02-31\x00", "typed_name": "x" * 5000, "relationship": "\x07mom",
        "signer": "representative", "intent": "yes", "reason": BIG, "email": "not an email", "password": "x" * 500,
        "lang": BIG, "next": "/kiosk/\r\nX: y", "full_name": "\x00" * 300, "household_size": BIG,
        "date_of_birth": "31/02/1990", "needs": [BIG, "food"], "language": BIG, "safe_at_home": BIG}
POSTS = ("/kiosk/verify", "/kiosk/answers", "/kiosk/sign", "/kiosk/activity", "/kiosk/staff", "/kiosk/language",
         "/kiosk/pair", "/kiosk/wipe")


@pytest.mark.parametrize("step", ["welcome", "verify", "fill", "sign"])
def test_junk_in_every_kiosk_form_at_every_step(client, admin, case_manager, step):
    device = pair(client, admin)
    person = factories.client(admin.organization)
    h = handoff(admin, case_manager, person, device=device, name="Consent for services")
    token = csrf_token(client, "/kiosk/")
    if step != "welcome":
        confirm_birth_date(client, h, person, token, birth_date="" if step == "verify" else None)
    if step == "sign":
        client.post("/kiosk/answers", data={"csrf_token": token, "understood": "yes", "questions": ""})
    assert (h.step or "welcome") == {"welcome": "welcome", "verify": "verify", "fill": "fill", "sign": "sign"}[step]
    for url in POSTS:
        if url == "/kiosk/wipe":
            continue
        resp = client.post(url, data={**JUNK, "csrf_token": token})
        assert resp.status_code < 500 and "\n" not in resp.headers.get("Location", ""), (url, resp.status_code)
    for url in ("/kiosk/", "/kiosk/poll", "/kiosk/staff", "/kiosk/login", "/kiosk/pair/status"):
        assert client.get(url, query_string={"page": BIG, "next": "/kiosk/\r\nX: y"}).status_code < 500, url
