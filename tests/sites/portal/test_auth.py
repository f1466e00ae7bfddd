"""Portal sign-in, sign-out, password change and forgotten password through the pages (S2, S3, S5)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from tests import factories
from tests.conftest import csrf_token
from tests import factories as pf
from tests.sites.portal.helpers import portal_login, portal_post

ERROR_RE = re.compile(r'<p class="error-summary" role="alert">(.*?)</p>', re.S)
LINK_RE = re.compile(r"http://localhost(/links/reset/\S+)")


@pytest.fixture
def family():
    agency = factories.agency(phone="541-555-0100")
    acct = pf.account("maria", email="maria@home.test")
    pf.access(acct, pf.client(agency, first_name="Maria", last_name="Lopez"), "self")
    return acct


def refusal(resp) -> str:
    assert resp.status_code == 401, resp.status_code
    return ERROR_RE.search(resp.get_data(as_text=True)).group(1)


def test_sign_in_and_home(client, family):
    resp = portal_login(client, "MARIA")
    assert resp.status_code == 302 and resp.headers["Location"] == "/portal/"
    html = client.get("/portal/").get_data(as_text=True)
    assert "Maria Lopez" in html and "Your record" in html


def test_unknown_user_and_wrong_password_look_the_same(client, family):
    assert refusal(portal_login(client, "nobody")) == refusal(portal_login(client, "maria", "wrong password"))


@pytest.mark.parametrize(("target", "landing"), [("/portal/account", "/portal/account"),
                                                  ("https://evil.test/", "/portal/"), ("/staff/", "/portal/")])
def test_next_is_followed_only_within_the_portal(client, family, target, landing):
    assert portal_login(client, "maria", query={"next": target}).headers["Location"] == landing


def test_lockout(app, client, family, frozen_clock):
    generic = refusal(portal_login(client, "nobody"))
    for _ in range(app.config["LOGIN_LOCKOUT_THRESHOLD"]):
        refusal(portal_login(client, "maria", "wrong password"))
    assert refusal(portal_login(client, "maria")) == generic


def test_throttle_429(app, client, family, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_RATE_LIMIT", "3 per minute")
    for n in range(3):
        refusal(portal_login(client, "maria", "wrong password", ip=f"10.0.0.{n + 1}"))
    assert portal_login(client, "maria", ip="10.0.0.99").status_code == 429


def test_logout_ends_every_session(app, client, family):
    assert portal_login(client, "maria").status_code == 302
    other = app.test_client()
    assert portal_login(other, "maria").status_code == 302
    stolen = client.get_cookie("cp_portal", path="/portal").value
    resp = portal_post(client, "/portal/logout")
    assert resp.status_code == 302 and resp.headers["Location"] == "/portal/login"
    client.set_cookie("cp_portal", stolen, path="/portal")
    assert client.get("/portal/").headers["Location"].startswith("/portal/login")
    assert other.get("/portal/").headers["Location"].startswith("/portal/login")


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client, family):
    assert portal_login(client, "maria").status_code == 302
    other = app.test_client()
    assert portal_login(other, "maria").status_code == 302
    resp = portal_post(client, "/portal/account/password", {"current_password": "wrong one!",
                       "new_password": "new passphrase", "confirm_password": "new passphrase"},
                       token_from="/portal/account/password")
    assert resp.status_code == 422 and "The current password is not right." in resp.get_data(as_text=True)
    resp = portal_post(client, "/portal/account/password", {"current_password": pf.PORTAL_PASSWORD,
                       "new_password": "short", "confirm_password": "short"}, token_from="/portal/account/password")
    assert resp.status_code == 422 and "Use between 8 and 128 characters." in resp.get_data(as_text=True)
    resp = portal_post(client, "/portal/account/password", {"current_password": pf.PORTAL_PASSWORD,
                       "new_password": "new passphrase", "confirm_password": "new passphrase"},
                       token_from="/portal/account/password")
    assert resp.status_code == 302
    assert client.get("/portal/").status_code == 200
    assert other.get("/portal/").status_code == 302


def _reset_links() -> list[str]:
    bodies = db.session.scalars(select(OutboxEmail.body_text).order_by(OutboxEmail.id))
    return [LINK_RE.search(body).group(1) for body in bodies]


def _ask(client, words: str):
    token = csrf_token(client, "/portal/password/forgot")
    return client.post("/portal/password/forgot", data={"username": words, "csrf_token": token})


def _page_without_csrf(resp) -> str:
    """The page as a person reads it: the CSRF token is signed with the second it was made in."""
    return re.sub(r'[\w.-]{40,}', "<token>", resp.get_data(as_text=True))


def test_forgot_answers_the_same_for_known_and_unknown(client, family):
    known, unknown = _ask(client, "maria"), _ask(client, "nobody")
    assert known.status_code == unknown.status_code == 200
    assert _page_without_csrf(known) == _page_without_csrf(unknown)
    assert len(_reset_links()) == 1
    assert _page_without_csrf(_ask(client, "nobody@nowhere.test")) == _page_without_csrf(known)
    assert len(_reset_links()) == 1


def test_one_reset_email_per_account_per_15_minutes_whatever_is_asked(client, family, frozen_clock):
    """Asking again by username, by email, in capitals, from elsewhere: one email, the same page."""
    first = _page_without_csrf(_ask(client, "maria"))
    for words in ("maria", "maria@home.test", "MARIA", "Maria@Home.test"):
        assert _page_without_csrf(_ask(client, words)) == first
    frozen_clock.advance(timedelta(minutes=14, seconds=59))
    assert _page_without_csrf(_ask(client, "maria")) == first
    assert len(_reset_links()) == 1
    frozen_clock.advance(timedelta(seconds=2))
    _ask(client, "maria@home.test")
    assert len(_reset_links()) == 2


def test_forgot_by_shared_email_emails_each_account(client, family):
    pf.account("maria.kids", email="MARIA@home.test")
    _ask(client, "maria@home.test")
    bodies = list(db.session.scalars(select(OutboxEmail.body_text).order_by(OutboxEmail.id)))
    assert len(bodies) == 2 and '"maria"' in bodies[0] and '"maria.kids"' in bodies[1]
    assert all("Lopez" not in b for b in bodies)


def test_reset_link_lands_on_a_clean_url_and_works_once(client, family):
    _ask(client, "maria")
    [link] = _reset_links()
    resp = client.get(link)
    assert resp.status_code == 302 and resp.headers["Location"] == "/portal/password/reset"
    page = client.get("/portal/password/reset")
    assert page.status_code == 200 and "maria" in page.get_data(as_text=True)
    token = csrf_token(client, "/portal/password/reset")
    resp = client.post("/portal/password/reset", data={"new_password": "fresh passphrase",
                       "confirm_password": "fresh passphrase", "csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200  # signed in
    assert not client.get_cookie("cp_handoff_reset", path="/portal")
    again = client.get(link)
    assert again.status_code == 400 and "Ask for a new link" in again.get_data(as_text=True)
    client2 = client.application.test_client()
    assert portal_login(client2, "maria", "fresh passphrase").status_code == 302


def test_reset_link_expires_after_an_hour(client, family, frozen_clock):
    _ask(client, "maria")
    [link] = _reset_links()
    frozen_clock.advance(timedelta(hours=1, seconds=5))
    resp = client.get(link)
    assert resp.status_code == 400 and "one hour" in resp.get_data(as_text=True)


def test_tampered_reset_link_shows_the_problem_page(client, family):
    _ask(client, "maria")
    [link] = _reset_links()
    resp = client.get(factories.tampered(link))
    assert resp.status_code == 400 and "Ask for a new link" in resp.get_data(as_text=True)
    assert "maria" not in resp.get_data(as_text=True)


def test_reset_page_without_a_link_sends_to_forgot(client):
    resp = client.get("/portal/password/reset")
    assert resp.status_code == 302 and resp.headers["Location"] == "/portal/password/forgot"


def test_staff_and_portal_at_once(client, auth, case_manager, family):
    assert auth.login(case_manager).status_code == 302
    assert portal_login(client, "maria").status_code == 302
    for _ in range(2):
        assert case_manager.display_name in client.get("/staff/").get_data(as_text=True)
        assert "Maria Lopez" in client.get("/portal/").get_data(as_text=True)
    portal_post(client, "/portal/logout")
    assert client.get("/staff/").status_code == 200


def test_account_settings_save_email_and_language(client, family):
    portal_login(client, "maria")
    resp = portal_post(client, "/portal/account", {"email": "not-an-email", "language": "es"})
    assert resp.status_code == 422
    resp = portal_post(client, "/portal/account", {"email": "new@home.test", "language": "es"})
    assert resp.status_code == 302
    assert (family.email, family.language) == ("new@home.test", "es")
    assert "Cuenta" in client.get("/portal/account").get_data(as_text=True)


def test_portal_pages_in_spanish(client, family):
    """A Spanish browser gets Spanish pages before sign-in; the account's language (here Spanish) after."""
    from sqlalchemy import select

    from portal_app.portal_access.models import PortalAccount

    es = {"Accept-Language": "es-MX,es;q=0.9"}
    assert "¿Olvidó su contraseña?" in client.get("/portal/login", headers=es).get_data(as_text=True)
    db.session.scalar(select(PortalAccount).where(PortalAccount.username == "maria")).language = "es"
    db.session.flush()
    portal_login(client, "maria")
    html = client.get("/portal/", headers=es).get_data(as_text=True)
    assert "Equipo de atención" in html and "Care team" not in html


def test_sign_in_uses_the_accounts_language_unless_one_was_chosen_here(app, client, agency):
    """A Spanish-speaking account signs in to Spanish pages; a language picked on this browser stays."""
    from tests.conftest import csrf_token
    from tests import factories as pf

    account = pf.account("lucia.es", language="es")
    pf.access(account, pf.client(agency), "self")
    token = csrf_token(client, "/portal/login")
    client.post("/portal/login", data={"username": "lucia.es", "password": pf.PORTAL_PASSWORD, "csrf_token": token})
    assert 'lang="es"' in client.get("/portal/").get_data(as_text=True)

    other = app.test_client()
    token = csrf_token(other, "/portal/login")
    other.post("/portal/language", data={"lang": "en", "csrf_token": token, "next": "/portal/login"})
    token = csrf_token(other, "/portal/login")
    other.post("/portal/login", data={"username": "lucia.es", "password": pf.PORTAL_PASSWORD, "csrf_token": token})
    assert 'lang="en"' in other.get("/portal/").get_data(as_text=True)
