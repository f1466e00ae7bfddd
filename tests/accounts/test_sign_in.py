"""Staff and partner sign-in (S1, S2): hashes, one generic error, lockout, throttles, safe `next`."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from portal_app.accounts.models import Role, User
from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.passwords import hash_password
from tests import factories
from tests.conftest import DEMO_PASSWORD, csrf_token

ERROR_RE = re.compile(r'<p class="error-summary" role="alert">(.*?)</p>', re.S)
WRONG = "not the right password at all"


def sign_in(client, site: str, email: str, password: str, *, query: dict | None = None, ip: str = "127.0.0.1"):
    token = csrf_token(client, f"/{site}/login")
    return client.post(f"/{site}/login", query_string=query or {}, environ_overrides={"REMOTE_ADDR": ip},
                       data={"email": email, "password": password, "csrf_token": token})


def refusal(resp) -> str:
    """The generic error paragraph of a refused sign-in (asserts the 401)."""
    assert resp.status_code == 401, resp.status_code
    match = ERROR_RE.search(resp.get_data(as_text=True))
    assert match, "no error paragraph"
    return match.group(1)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_passwords_are_hashed_with_argon2id(case_manager):
    assert case_manager.password_hash.startswith("$argon2id$")
    assert hash_password("another long passphrase").startswith("$argon2id$")
    assert DEMO_PASSWORD not in case_manager.password_hash


def test_unknown_email_costs_as_much_as_a_known_one():
    """An unknown email is verified against a dummy hash made with the same argon2 parameters."""
    from argon2 import extract_parameters

    from portal_app import passwords

    assert extract_parameters(passwords._DUMMY) == extract_parameters(hash_password("any password at all"))


@pytest.mark.parametrize("site", ["staff", "partner"])
def test_unknown_email_and_wrong_password_look_the_same(client, people, site):
    person = people["case_manager" if site == "staff" else "partner"]
    unknown = refusal(sign_in(client, site, "nobody@nowhere.test", DEMO_PASSWORD))
    wrong = refusal(sign_in(client, site, person.email, WRONG))
    assert unknown == wrong
    assert "do not match" in unknown


@pytest.mark.parametrize(("who", "site"), [("partner", "staff"), ("case_manager", "partner"), ("admin", "partner")])
def test_people_sign_in_only_at_their_own_site(client, people, who, site):
    generic = refusal(sign_in(client, site, "nobody@nowhere.test", DEMO_PASSWORD))
    assert refusal(sign_in(client, site, people[who].email, DEMO_PASSWORD)) == generic
    assert client.get(f"/{site}/").status_code == 302


@pytest.mark.parametrize("role", ["case_manager", "partner"])
def test_disabled_people_cannot_sign_in(client, agency, partner_org, role):
    person = factories.user(partner_org if role == "partner" else agency, role=role, enabled=False)
    generic = refusal(sign_in(client, person.site, "nobody@nowhere.test", DEMO_PASSWORD))
    assert refusal(sign_in(client, person.site, person.email, DEMO_PASSWORD)) == generic


def test_email_is_case_insensitive(client, case_manager):
    assert sign_in(client, "staff", case_manager.email.upper(), DEMO_PASSWORD).status_code == 302


def test_lockout_refuses_even_the_right_password_until_it_passes(app, client, case_manager, frozen_clock):
    generic = refusal(sign_in(client, "staff", "nobody@nowhere.test", DEMO_PASSWORD))
    for _ in range(app.config["LOGIN_LOCKOUT_THRESHOLD"]):
        assert refusal(sign_in(client, "staff", case_manager.email, WRONG)) == generic
    assert "auth.lockout" in actions()
    assert refusal(sign_in(client, "staff", case_manager.email, DEMO_PASSWORD)) == generic
    frozen_clock.advance(timedelta(minutes=app.config["LOGIN_LOCKOUT_MINUTES"] - 1))
    assert refusal(sign_in(client, "staff", case_manager.email, DEMO_PASSWORD)) == generic
    frozen_clock.advance(timedelta(minutes=2))
    assert sign_in(client, "staff", case_manager.email, DEMO_PASSWORD).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_success_resets_the_failure_count(app, client, case_manager):
    for _ in range(app.config["LOGIN_LOCKOUT_THRESHOLD"] - 1):
        refusal(sign_in(client, "staff", case_manager.email, WRONG))
    assert sign_in(client, "staff", case_manager.email, DEMO_PASSWORD).status_code == 302
    assert case_manager.failed_logins == 0


def test_per_ip_throttle(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    for n in range(3):
        refusal(sign_in(client, "staff", f"someone{n}@nowhere.test", WRONG))
    resp = sign_in(client, "staff", "someone9@nowhere.test", WRONG)
    assert resp.status_code == 429
    assert "Too many attempts" in resp.get_data(as_text=True)
    refusal(sign_in(client, "staff", "someone9@nowhere.test", WRONG, ip="10.9.8.7"))  # another IP still may


def test_per_account_throttle_across_ips(app, client, case_manager, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_RATE_LIMIT", "3 per minute")
    for n in range(3):
        refusal(sign_in(client, "staff", case_manager.email, WRONG, ip=f"10.0.0.{n + 1}"))
    assert sign_in(client, "staff", case_manager.email, DEMO_PASSWORD, ip="10.0.0.99").status_code == 429
    refusal(sign_in(client, "staff", "other@nowhere.test", WRONG, ip="10.0.0.99"))  # other accounts still may


@pytest.mark.parametrize(("target", "followed"), [
    ("/staff/account", True),
    ("https://evil.example/", False),
    ("//evil.example", False),
    ("/partner/", False),
    ("/\\evil.example", False),
    ("/staff/\\evil.example", False),
    ("javascript:alert(1)", False),
    ("", False),
])
def test_next_is_followed_only_within_the_site(client, case_manager, target, followed):
    resp = sign_in(client, "staff", case_manager.email, DEMO_PASSWORD, query={"next": target})
    assert resp.status_code == 302
    assert resp.headers["Location"] == (target if followed else "/staff/")


def test_sign_in_returns_to_the_page_asked_for(client, case_manager):
    login_url = client.get("/staff/account").headers["Location"]
    token = csrf_token(client, login_url)
    resp = client.post(login_url, data={"email": case_manager.email, "password": DEMO_PASSWORD, "csrf_token": token})
    assert resp.headers["Location"].rstrip("?") == "/staff/account"


def test_sign_in_events_are_audited(app, client, auth, case_manager, frozen_clock):
    sign_in(client, "staff", "nobody@nowhere.test", WRONG)
    for _ in range(app.config["LOGIN_LOCKOUT_THRESHOLD"]):
        sign_in(client, "staff", case_manager.email, WRONG)
    frozen_clock.advance(timedelta(minutes=app.config["LOGIN_LOCKOUT_MINUTES"] + 1))
    assert auth.login(case_manager).status_code == 302
    auth.logout("staff")
    seen = actions()
    for action in ("auth.login_failed", "auth.lockout", "auth.login", "auth.logout"):
        assert action in seen, action
    assert seen.index("auth.lockout") < seen.index("auth.login") < seen.index("auth.logout")
    login = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login")).one()
    assert (login.actor_id, login.site, login.ip) == (case_manager.id, "staff", "127.0.0.1")


# --- flask create-admin --------------------------------------------------------------------

def create_admin(app, email: str, password: str):
    return app.test_cli_runner().invoke(args=[
        "create-admin", "--email", email, "--first-name", "Ada", "--last-name", "Lovelace",
        "--organization", "County Probation", "--password", password,
    ])


def test_create_admin_once(app):
    result = create_admin(app, "ada@county.test", "a long admin passphrase")
    assert result.exit_code == 0, result.output
    assert "Administrator ada@county.test created for County Probation" in result.output
    admin = db.session.scalars(select(User).where(User.email == "ada@county.test")).one()
    assert admin.role == Role.ADMIN and admin.organization.is_agency
    assert admin.password_hash.startswith("$argon2id$")
    assert "account.admin_bootstrapped" in actions()
    again = create_admin(app, "second@county.test", "a long admin passphrase")
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert db.session.scalar(select(User).where(User.email == "second@county.test")) is None


def test_create_admin_refuses_a_short_password(app):
    result = create_admin(app, "ada@county.test", "short pass")
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    assert db.session.scalar(select(User)) is None


def test_created_admin_can_sign_in(app, client):
    assert create_admin(app, "ada@county.test", "a long admin passphrase").exit_code == 0
    assert sign_in(client, "staff", "ada@county.test", "a long admin passphrase").status_code == 302


@pytest.mark.parametrize("asked", ["/staff/", "/staff/clients?q=ana"])
def test_sign_in_redirect_carries_the_page_asked_for_without_a_stray_question_mark(client, asked):
    location = urlsplit(client.get(asked).headers["Location"])
    assert location.path == "/staff/login"
    assert parse_qs(location.query)["next"] == [asked]
