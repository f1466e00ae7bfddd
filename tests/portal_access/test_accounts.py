"""Portal account services (S1-S3, S5): sign-in, lockout, passwords, reset tokens, accesses."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal_app import tokens
from portal_app.audit import AuditEvent
from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.portal_access import accounts, queries
from tests import factories
from tests import factories as pf

WRONG = "not the password"


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_validate_portal_password_is_length_only():
    accounts.validate_portal_password("abcdefgh")
    accounts.validate_portal_password("x" * 128)
    for bad in ("", "abcdefg", "x" * 129):
        with pytest.raises(accounts.PasswordPolicyError):
            accounts.validate_portal_password(bad)


def test_authenticate_is_case_insensitive_and_audited():
    acct = pf.account("Maria")
    assert accounts.authenticate("  mARIA ", pf.PORTAL_PASSWORD) is acct
    assert acct.last_login_at is not None
    assert "portal.login" in actions()


def test_unknown_disabled_and_wrong_raise_the_same_error():
    pf.account("off", enabled=False)
    pf.account("on")
    for name, password in (("nobody", pf.PORTAL_PASSWORD), ("off", pf.PORTAL_PASSWORD), ("on", WRONG), ("", WRONG)):
        with pytest.raises(accounts.InvalidCredentials):
            accounts.authenticate(name, password)


def test_lockout_after_threshold_then_expires(app, frozen_clock):
    acct = pf.account()
    for _ in range(app.config["LOGIN_LOCKOUT_THRESHOLD"]):
        with pytest.raises(accounts.InvalidCredentials):
            accounts.authenticate(acct.username, WRONG)
    assert "portal.lockout" in actions()
    with pytest.raises(accounts.AccountLocked):
        accounts.authenticate(acct.username, pf.PORTAL_PASSWORD)
    frozen_clock.advance(timedelta(minutes=app.config["LOGIN_LOCKOUT_MINUTES"], seconds=1))
    assert accounts.authenticate(acct.username, pf.PORTAL_PASSWORD) is acct


def test_change_password_needs_the_current_one_and_bumps_the_epoch():
    acct = pf.account()
    epoch = acct.session_epoch
    with pytest.raises(accounts.InvalidCredentials):
        accounts.change_password(acct, WRONG, "a new passphrase")
    with pytest.raises(accounts.PasswordPolicyError):
        accounts.change_password(acct, pf.PORTAL_PASSWORD, "short")
    accounts.change_password(acct, pf.PORTAL_PASSWORD, "a new passphrase")
    assert acct.session_epoch == epoch + 1
    assert accounts.authenticate(acct.username, "a new passphrase") is acct
    assert "portal.password_changed" in actions()


def _emails():
    return list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


def test_reset_by_username_emails_that_account_only():
    acct = pf.account("sam.parent", email="family@home.test")
    pf.account("other", email="family@home.test")
    assert accounts.request_password_reset("SAM.PARENT") == 1
    [email] = _emails()
    assert email.to_address == "family@home.test"
    assert "sam.parent" in email.body_text and "/links/reset/" in email.body_text
    assert accounts.read_reset_token(email.body_text.split("/links/reset/")[1].split()[0]) is acct


def test_reset_by_shared_email_sends_one_email_per_account():
    agency = factories.agency()
    a = pf.account("mom", email="Family@Home.test")
    b = pf.account("mom.for.kids", email="family@home.test")
    pf.access(a, pf.client(agency, first_name="Zelda"), "self")
    assert accounts.request_password_reset("family@HOME.test") == 2
    emails = _emails()
    assert ["mom" in e.body_text for e in emails] == [True, True]
    assert "mom.for.kids" in emails[1].body_text
    assert all("Zelda" not in e.body_text + e.subject for e in emails)  # S14: no client names
    assert {accounts.read_reset_token(e.body_text.split("/links/reset/")[1].split()[0]) for e in emails} == {a, b}


def test_reset_for_unknown_names_sends_nothing():
    assert accounts.request_password_reset("nobody") == 0
    assert accounts.request_password_reset("nobody@nowhere.test") == 0
    assert accounts.request_password_reset("   ") == 0
    assert _emails() == []


def test_reset_token_works_until_the_password_changes():
    acct = pf.account()
    token = accounts.reset_token(acct)
    assert accounts.read_reset_token(token) is acct
    accounts.reset_password(acct, "another passphrase")
    with pytest.raises(tokens.TokenInvalid):
        accounts.read_reset_token(token)


def test_reset_token_expires_after_an_hour(frozen_clock):
    acct = pf.account()
    token = accounts.reset_token(acct)
    frozen_clock.advance(timedelta(minutes=59))
    assert accounts.read_reset_token(token) is acct
    frozen_clock.advance(timedelta(minutes=1, seconds=5))
    with pytest.raises(tokens.TokenExpired):
        accounts.read_reset_token(token)


def test_tampered_reset_token_is_invalid():
    acct = pf.account()
    token = accounts.reset_token(acct)
    with pytest.raises(tokens.TokenInvalid):
        accounts.read_reset_token(factories.tampered(token))
    with pytest.raises(tokens.TokenInvalid):
        accounts.read_reset_token(tokens.make_token("reset", {"a": "1", "f": "x"}))


def test_accesses_self_first_then_by_name_active_and_portal_on_only():
    agency, off = factories.agency(), factories.agency()
    off.module_client_portal = False
    acct = pf.account()
    zed = pf.access(acct, pf.client(agency, first_name="Zed"), label="father")
    me = pf.access(acct, pf.client(agency, first_name="Zoe"), "self")
    amy = pf.access(acct, pf.client(agency, first_name="Amy"), label="father")
    pf.access(acct, pf.client(agency, first_name="Gone"), label="father", revoked_at=utcnow())
    pf.access(acct, pf.client(off, first_name="Off"), label="father")
    assert queries.accesses_of(acct) == [me, amy, zed]
    assert queries.access_for(acct, amy.client_id) is amy
    assert queries.access_for(acct, pf.client(agency).id) is None
    assert {o.id for o in queries.agencies_of(acct)} == {agency.id, off.id}


def test_update_settings():
    acct = pf.account()
    accounts.update_settings(acct, " new@mail.test ", "es")
    assert (acct.email, acct.language) == ("new@mail.test", "es")
    with pytest.raises(ValueError):
        accounts.update_settings(acct, "new@mail.test", "fr")
