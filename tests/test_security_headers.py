"""CSRF (S8), response headers (S10), friendly error pages per site (R2), production settings."""
from __future__ import annotations

import re

import pytest

from config import DEFAULT_SECRET
from portal_app import create_app
from tests import extra_apps
from tests.conftest import Auth, csrf_token
from tests.test_i18n import spanish  # noqa: F401  (production refuses to start without it)

# Text that only each site's base template prints (plus the body class of the shell).
BRAND = {
    "staff": 'class="site-name">Staff<',
    "partner": 'class="site-name">Partners<',
    "portal": ">My Portal</a>",
    "kiosk": ">Check-in tablet<",
    "links": '<span class="brand">Caseport</span>',
    None: '<a class="brand" href="/">Caseport</a>',
}
CSRF_MESSAGE = "This form expired or came from another page"
HX_TOKEN_RE = re.compile(r'"X-CSRFToken": "([^"]+)"')
STRONG_SECRET = "a-long-random-production-secret-0123456789abcdef"


def assert_site_page(resp, site: str | None, code: int, text: str | None = None) -> str:
    """`resp` is the friendly page `code`, drawn in `site`'s own frame."""
    html = resp.get_data(as_text=True)
    assert resp.status_code == code, html[:500]
    assert resp.mimetype == "text/html"
    assert BRAND[site] in html, f"{code} page does not use the {site} base template"
    assert f'class="site-{site or "public"}"' in html
    assert 'class="error-page"' in html
    if text:
        assert text in html
    return html


def sign_in_form_post(client, site: str, **data):
    """A sign-in POST with a valid CSRF token (portal signs in with a username)."""
    token = csrf_token(client, f"/{site}/login")
    name = {"username": "nobody"} if site == "portal" else {"email": "nobody@example.test"}
    return client.post(f"/{site}/login", data={"csrf_token": token, "password": "x" * 12, **name, **data})


# --- CSRF (S8) -----------------------------------------------------------------------------

@pytest.mark.parametrize(("site", "url"), [
    ("staff", "/staff/login"), ("partner", "/partner/login"), ("portal", "/portal/login"),
    ("kiosk", "/kiosk/language"), ("portal", "/portal/language"),
])
def test_post_without_csrf_token_is_refused(client, site, url):
    client.get(f"/{site}/login")  # a session exists, only the token is missing
    resp = client.post(url, data={"email": "a@b.test", "username": "a", "password": "x" * 12, "lang": "es"})
    assert_site_page(resp, site, 400, CSRF_MESSAGE)


def test_staff_logout_without_token_is_refused(client, auth, case_manager):
    auth.login(case_manager)
    resp = client.post("/staff/logout")
    assert_site_page(resp, "staff", 400, CSRF_MESSAGE)
    assert client.get("/staff/").status_code == 200  # still signed in


def test_htmx_post_with_token_in_header(client, auth, case_manager):
    """htmx sends the token from <body hx-headers> in X-CSRFToken; no form field needed."""
    auth.login(case_manager)
    token = HX_TOKEN_RE.search(client.get("/staff/").get_data(as_text=True)).group(1)
    resp = client.post("/staff/logout", headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert resp.status_code == 302
    assert client.get("/staff/").headers["Location"].startswith("/staff/login")


def test_token_of_one_site_does_not_work_on_another(client, auth, case_manager, partner_user):
    auth.login(case_manager)
    auth.login(partner_user)
    staff_token = csrf_token(client, "/staff/")
    resp = client.post("/partner/logout", data={"csrf_token": staff_token})
    assert_site_page(resp, "partner", 400, CSRF_MESSAGE)


# --- Headers (S10) -------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/healthz", "/staff/login", "/partner/login", "/portal/login",
                                 "/kiosk/login", "/links/", "/staff/no-such-page"])
def test_security_headers_everywhere(client, url):
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")
    assert "Strict-Transport-Security" not in headers  # only in production, over HTTPS


@pytest.mark.parametrize(("who", "urls"), [
    ("case_manager", ["/staff/", "/staff/account", "/staff/account/password"]),
    ("partner", ["/partner/", "/partner/account/password"]),
])
def test_signed_in_pages_are_not_stored(client, auth, people, who, urls):
    auth.login(people[who])
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert "no-store" in resp.headers["Cache-Control"], url
        assert "HX-Request" in resp.headers["Vary"], url


@pytest.mark.parametrize("who", ["case_manager", "partner"])
def test_logout_clears_site_data_but_not_cookies(client, auth, people, who):
    auth.login(people[who])
    value = auth.logout(people[who].site).headers["Clear-Site-Data"]
    assert '"cache"' in value
    assert "cookies" not in value  # that would sign the browser out of the other sites too


@pytest.fixture
def production_app(monkeypatch, spanish):
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)
    monkeypatch.setenv("AUDIT_HMAC_KEY", "another-long-random-value-for-the-audit-hmac")
    from tests.test_config import seal_files

    return create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_STORAGE_URI": "memory://",
                                     **seal_files()})


def test_hsts_only_in_production(client, production_app):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    hsts = production_app.test_client().get("/healthz").headers["Strict-Transport-Security"]
    assert "max-age=" in hsts and int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000


def test_production_uses_the_checked_secret(production_app):
    assert production_app.config["SECRET_KEY"] == STRONG_SECRET
    assert production_app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("secret", [None, "", DEFAULT_SECRET, "too-short-secret"])
def test_production_refuses_a_weak_secret(monkeypatch, secret):
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


# --- Friendly error pages, each in its own site's frame ------------------------------------

@pytest.mark.parametrize("site", ["staff", "partner", "portal", "kiosk", "links", None])
def test_404_page(client, site):
    resp = client.get(f"/{site}/no-such-page" if site else "/no-such-page")
    assert_site_page(resp, site, 404, "Page not found")


@pytest.mark.parametrize(("site", "method", "url"), [
    ("staff", "GET", "/staff/logout"), ("partner", "GET", "/partner/logout"),
    ("portal", "GET", "/portal/language"), ("kiosk", "GET", "/kiosk/language"),
    ("links", "POST", "/links/"), (None, "POST", "/"),
])
def test_405_page(client, site, method, url):
    assert_site_page(client.open(url, method=method), site, 405, "This action is not allowed here")


@pytest.mark.parametrize(("site", "url"), [
    ("staff", "/staff/login"), ("partner", "/partner/login"), ("portal", "/portal/login"),
    ("kiosk", "/kiosk/language"),
])
def test_413_page(app, client, monkeypatch, site, url):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    resp = client.post(url, data={"csrf_token": "x", "password": "p" * 8000})
    assert_site_page(resp, site, 413, "That file is too large")


@pytest.mark.parametrize("site", ["staff", "partner", "portal"])
def test_429_page(app, client, monkeypatch, site):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "2 per minute")
    assert [sign_in_form_post(client, site).status_code for _ in range(2)] == [401, 401]
    assert_site_page(sign_in_form_post(client, site), site, 429, "Please wait a minute")


@pytest.fixture(scope="module")
def probe(database_url):
    return extra_apps.probe_app(database_url)


@pytest.mark.parametrize("site", extra_apps.PROBE_SITES)
def test_403_page_and_deny_by_default(probe, site):
    """An endpoint that declares no permission is refused to everyone, with the site's 403 page."""
    resp = probe.test_client().get(f"/{site}/_probe/undeclared")
    assert_site_page(resp, site, 403, "You do not have access to this page")


@pytest.mark.parametrize(("who", "url"), [("supervisor", "/staff/_probe/admin-only"),
                                          ("partner", "/partner/_probe/staff-only")])
def test_403_page_for_signed_in_person(_db, probe, people, who, url):
    _db.commit()  # the probe app's requests close the test session (see tests/extra_apps.py)
    client = probe.test_client()
    assert Auth(client).login(people[who]).status_code == 302
    html = assert_site_page(client.get(url), people[who].site, 403, "You do not have access to this page")
    assert people[who].display_name in html  # still signed in, in the frame of their site


@pytest.fixture(scope="module")
def broken():
    """The application with its database gone (PostgreSQL on a port nobody listens on)."""
    return extra_apps.unreachable_database_app()


@pytest.mark.parametrize("site", ["staff", "partner"])
def test_503_page_when_the_database_is_down_at_sign_in(broken, monkeypatch, site):
    extra_apps.real_session(monkeypatch)
    resp = sign_in_form_post(broken.test_client(), site)
    assert_site_page(resp, site, 503, "Nothing you sent was saved")


@pytest.mark.parametrize("who", ["case_manager", "partner"])
def test_503_page_for_a_signed_in_person(client, auth, people, broken, monkeypatch, who):
    """A signed-in request loads its person from the database: with the database down, a 503 page."""
    person = people[who]
    auth.login(person)
    cookie = client.get_cookie(f"cp_{person.site}", path=f"/{person.site}")
    extra_apps.real_session(monkeypatch)
    down = broken.test_client()
    down.set_cookie(cookie.key, cookie.value, path=cookie.path)
    assert_site_page(down.get(f"/{person.site}/"), person.site, 503, "Nothing you sent was saved")
