"""An unpaired or revoked browser reaches no kiosk page but pairing; a tablet reaches only its own agency's
hand-offs at its own location; pairing codes are throttled."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app import create_app
from portal_app.authz import PUBLIC, declared_permission
from portal_app.extensions import db
from portal_app.kiosk import devices
from portal_app.kiosk.models import KioskHandoff
from tests import factories
from tests.conftest import csrf_token
from tests.kiosk.kiosk_helpers import confirm_birth_date, handoff, kiosk, location, pair, show_code
from tests.sql import count_statements

_APP = create_app("test", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
KIOSK_RULES = sorted((r.rule, m) for r in _APP.url_map.iter_rules() if r.rule.startswith("/kiosk")
                      and declared_permission(_APP.view_functions[r.endpoint]) != PUBLIC
                      for m in sorted(r.methods & {"GET", "POST"}))


def test_every_kiosk_page_but_pairing_needs_a_paired_tablet():
    public = {r.rule for r in _APP.url_map.iter_rules() if r.rule.startswith("/kiosk")} - {rule for rule, _ in KIOSK_RULES}
    assert public == {"/kiosk/login", "/kiosk/pair", "/kiosk/pair/status", "/kiosk/language"}


def _refused(client, rule: str, method: str) -> None:
    if method == "GET":
        resp = client.get(rule)
    else:
        resp = client.post(rule, data={"csrf_token": csrf_token(client, "/kiosk/login"), "birth_date": "1980-01-01",
                                       "handoff": "1", "typed_name": "X Y", "intent": "yes"})
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/kiosk/login"), (rule, resp.status_code)


@pytest.mark.parametrize(("rule", "method"), KIOSK_RULES)
@pytest.mark.parametrize("tablet", ["unpaired", "revoked", "shown_a_code", "staff_signed_in"])
def test_unpaired_and_revoked_tablets_reach_only_pairing(client, auth, admin, case_manager, rule, method, tablet):
    person = factories.client(admin.organization)
    if tablet == "revoked":
        device = pair(client, admin)
        handoff(admin, case_manager, person, device=device)
        devices.revoke_kiosk(admin, device)
    elif tablet == "shown_a_code":
        show_code(client)
    elif tablet == "staff_signed_in":
        assert auth.login(case_manager).status_code == 302
    _refused(client, rule, method)
    assert person.last_name not in client.get("/kiosk/login").get_data(as_text=True)


def test_a_forged_device_cookie_is_nobody(client, admin):
    pair(client, admin)
    client.set_cookie("cp_kiosk_device", "forged-value", path="/kiosk")
    _refused(client, "/kiosk/", "GET")


def test_pairing_codes_are_throttled_per_address(app, client):
    app.config["KIOSK_PAIRING_RATE_LIMIT"] = "2 per hour"
    token = csrf_token(client, "/kiosk/login")
    assert [client.post("/kiosk/pair", data={"csrf_token": token}).status_code for _ in range(3)] == [302, 302, 429]


def test_tablets_see_only_their_agency_and_location(client, admin, case_manager):
    other = factories.agency("Other agency")
    other_admin = factories.user(other, role="admin", email="admin@other.test")
    theirs = handoff(other_admin, factories.user(other, email="cm@other.test"), factories.client(other),
                     place=location(other_admin, "Their office"))
    here = location(admin, "Our office")
    pair(client, admin, kiosk(admin, "Ours", here))
    handoff(admin, case_manager, factories.client(admin.organization), place=location(admin, "Elsewhere"))
    assert client.get("/kiosk/poll").status_code == 204
    token = csrf_token(client, "/kiosk/")
    confirm_birth_date(client, theirs, token=token)
    db.session.refresh(theirs)
    assert theirs.status == "pending" and theirs.active_device_id is None
    assert db.session.scalar(select(KioskHandoff.id).where(KioskHandoff.status == "in_progress")) is None


def test_the_poll_is_cheap_and_touches_no_session(client, admin, case_manager):
    device = pair(client, admin)
    handoff(admin, case_manager, factories.client(admin.organization), device=device)
    with count_statements() as counted:
        resp = client.get("/kiosk/poll", headers={"HX-Request": "true", "X-Background-Poll": "1"})
    assert resp.status_code == 200 and "Set-Cookie" not in resp.headers
    assert len(counted) == 2, counted  # the device credential (unique index) and the hand-off (pickup index)
