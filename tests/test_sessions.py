"""Sessions (S3, S4): a cookie per site, fresh session on sign-in, session epoch, timeouts."""
from __future__ import annotations

from datetime import timedelta
from http.cookies import SimpleCookie

import pytest

from config import ProductionConfig
from tests.conftest import Auth, csrf_token

SITE_PAGES = {"staff": "/staff/login", "partner": "/partner/login", "portal": "/portal/login",
              "kiosk": "/kiosk/login", "links": "/links/"}
NEW_PASSWORD = "a brand new long passphrase"


def set_cookie(resp, name: str) -> str:
    """The raw Set-Cookie header for `name` in a response."""
    headers = [h for h in resp.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert len(headers) == 1, resp.headers.getlist("Set-Cookie")
    return headers[0]


def signed_in_as(client, site: str, person) -> bool:
    """Whether `client` sees `person` signed in on `site` (home page shows their name)."""
    resp = client.get(f"/{site}/")
    return resp.status_code == 200 and person.display_name in resp.get_data(as_text=True)


def redirected_to_sign_in(resp, site: str) -> bool:
    return resp.status_code == 302 and resp.headers["Location"].startswith(f"/{site}/login")


@pytest.mark.parametrize("site", SITE_PAGES)
def test_cookie_per_site(client, site):
    """cp_<site>, Path=/<site>, HttpOnly, SameSite=Lax; Secure only outside tests."""
    header = set_cookie(client.get(SITE_PAGES[site]), f"cp_{site}")
    morsel = SimpleCookie(header)[f"cp_{site}"]
    assert morsel["path"] == f"/{site}"
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert not morsel["secure"]  # TestConfig serves plain http
    assert not morsel["domain"]


def test_public_pages_set_no_cookie(client):
    for url in ("/", "/healthz", "/readyz", "/static/css/base.css"):
        with client.get(url) as resp:
            assert not resp.headers.getlist("Set-Cookie"), url


def test_production_cookies_are_secure():
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY is True
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"


def test_staff_and_partner_in_one_browser(client, auth, case_manager, partner_user):
    """Both sessions live side by side; signing out of staff leaves the partner session alone."""
    assert auth.login(case_manager).status_code == 302
    assert auth.login(partner_user).status_code == 302
    for _ in range(2):
        assert signed_in_as(client, "staff", case_manager)
        assert signed_in_as(client, "partner", partner_user)
    assert auth.logout("staff").status_code == 302
    assert redirected_to_sign_in(client.get("/staff/"), "staff")
    assert signed_in_as(client, "partner", partner_user)


def test_sign_in_starts_a_new_session(app, client, auth, case_manager):
    """No fixation: what was in the session before sign-in is gone, and the old cookie stays anonymous."""
    client.get("/staff/login")
    with client.session_transaction("/staff/login") as sess:
        sess["planted"] = "by an attacker"
    before = client.get_cookie("cp_staff", path="/staff").value
    assert auth.login(case_manager).status_code == 302
    with client.session_transaction("/staff/") as sess:
        assert "planted" not in sess
        assert sess["_user_id"] == case_manager.get_id()
    assert client.get_cookie("cp_staff", path="/staff").value != before
    replay = app.test_client()
    replay.set_cookie("cp_staff", before, path="/staff")
    assert redirected_to_sign_in(replay.get("/staff/"), "staff")


def test_logout_ends_every_session(app, client, auth, case_manager):
    """Session epoch: a second browser's cookie stops working when the person signs out anywhere."""
    other = app.test_client()
    assert Auth(other).login(case_manager).status_code == 302
    assert signed_in_as(other, "staff", case_manager)
    stolen = other.get_cookie("cp_staff", path="/staff").value
    assert auth.login(case_manager).status_code == 302
    assert auth.logout("staff").status_code == 302
    replay = app.test_client()
    replay.set_cookie("cp_staff", stolen, path="/staff")
    assert redirected_to_sign_in(replay.get("/staff/"), "staff")
    assert redirected_to_sign_in(other.get("/staff/"), "staff")


def test_password_change_ends_other_sessions_only(app, client, auth, case_manager):
    other = app.test_client()
    assert Auth(other).login(case_manager).status_code == 302
    assert auth.login(case_manager).status_code == 302
    old_own_cookie = client.get_cookie("cp_staff", path="/staff").value
    token = csrf_token(client, "/staff/account/password")
    resp = client.post(
        "/staff/account/password",
        data={"csrf_token": token, "current_password": "correct horse battery staple",
              "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert signed_in_as(client, "staff", case_manager)
    assert redirected_to_sign_in(other.get("/staff/"), "staff")
    replay = app.test_client()
    replay.set_cookie("cp_staff", old_own_cookie, path="/staff")
    assert redirected_to_sign_in(replay.get("/staff/"), "staff")


@pytest.mark.parametrize(("site", "limit"), [("staff", 15), ("partner", 30)])
def test_idle_timeout(client, auth, people, frozen_clock, site, limit):
    """Activity just inside the idle limit keeps the session; a gap past it signs the person out."""
    person = people["case_manager" if site == "staff" else "partner"]
    assert auth.login(person).status_code == 302
    for _ in range(3):  # each request restarts the idle clock
        frozen_clock.advance(timedelta(minutes=limit - 1))
        assert signed_in_as(client, site, person)
    frozen_clock.advance(timedelta(minutes=limit + 1))
    resp = client.get(f"/{site}/")
    assert redirected_to_sign_in(resp, site)
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "You were signed out after a period of inactivity" in page
    assert signed_in_as(client, site, person) is False


def test_absolute_limit_despite_activity(client, auth, case_manager, frozen_clock):
    """Twelve hours after sign-in the session ends, however busy the person is."""
    assert auth.login(case_manager).status_code == 302
    elapsed = timedelta()
    while elapsed + timedelta(minutes=10) <= timedelta(hours=12):
        elapsed += timedelta(minutes=10)
        frozen_clock.advance(timedelta(minutes=10))
        assert signed_in_as(client, "staff", case_manager), elapsed
    frozen_clock.advance(timedelta(minutes=10))
    assert redirected_to_sign_in(client.get("/staff/"), "staff")


def test_background_poll_does_not_extend_idle_time(client, auth, case_manager, frozen_clock):
    assert auth.login(case_manager).status_code == 302
    frozen_clock.advance(timedelta(minutes=10))
    assert client.get("/staff/", headers={"X-Background-Poll": "1"}).status_code == 200
    frozen_clock.advance(timedelta(minutes=6))
    assert redirected_to_sign_in(client.get("/staff/"), "staff")


def test_no_remember_me_cookie(client, auth, case_manager, partner_user):
    responses = [auth.login(case_manager), client.get("/staff/"), auth.login(partner_user),
                 client.get("/partner/"), auth.logout("staff"), auth.logout("partner")]
    for resp in responses:
        assert not any(h.startswith("remember_token=") for h in resp.headers.getlist("Set-Cookie"))
    assert "remember" not in client.get("/staff/login").get_data(as_text=True).lower()


def test_htmx_request_after_timeout_is_sent_to_sign_in(client, auth, case_manager, frozen_clock):
    """htmx cannot follow a redirect into a page swap: it gets 401 and HX-Redirect instead."""
    assert auth.login(case_manager).status_code == 302
    frozen_clock.advance(timedelta(minutes=16))
    resp = client.get("/staff/account", headers={"HX-Request": "true"})
    assert resp.status_code == 401
    assert resp.headers["HX-Redirect"].startswith("/staff/login")


def test_idle_limits_per_site(app):
    limits = {site: int(limit.total_seconds() // 60) for site, limit in app.config["SESSION_IDLE_LIMITS"].items()}
    assert {k: limits[k] for k in ("staff", "partner", "portal", "kiosk")} == {
        "staff": 15, "partner": 30, "portal": 20, "kiosk": 3}
    assert app.config["SESSION_ABSOLUTE_LIMIT"] == timedelta(hours=12)
