"""S5: the hand-off cookie is scoped, hidden from scripts and refused when missing or forged."""
from __future__ import annotations

from flask import Response

from portal_app.tokens import clear_handoff, make_token, read_handoff, set_handoff
from tests.factories import tampered


def _set_cookie_header(response: Response) -> str:
    """The one Set-Cookie header of `response`, lower-cased."""
    (header,) = response.headers.getlist("Set-Cookie")
    return header.lower()


def test_handoff_cookie_is_scoped_to_its_site_and_hidden_from_scripts(app):
    with app.test_request_context():
        header = _set_cookie_header(set_handoff(Response(), "register", {"i": 1}, path="/portal", max_age=600))
    assert "path=/portal" in header and "httponly" in header and "samesite=lax" in header
    assert ("secure" in header.split("; ")) is bool(app.config["SESSION_COOKIE_SECURE"])


def test_clearing_the_handoff_uses_the_same_scope(app):
    with app.test_request_context():
        header = _set_cookie_header(clear_handoff(Response(), "register", path="/portal"))
    assert header.startswith("cp_handoff_register=;") and "path=/portal" in header
    assert "httponly" in header and "samesite=lax" in header


def test_secure_follows_the_session_cookie_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    with app.test_request_context():
        set_header = _set_cookie_header(set_handoff(Response(), "reset", {"a": 1}, path="/portal", max_age=60))
        clear_header = _set_cookie_header(clear_handoff(Response(), "reset", path="/portal"))
    assert "secure" in set_header.split("; ") and "secure" in clear_header.split("; ")


def test_read_handoff_gives_the_payload_or_none(app):
    good = make_token("handoff.register", {"i": 3})
    with app.test_request_context(headers={"Cookie": f"cp_handoff_register={good}"}):
        assert read_handoff("register", 600) == {"i": 3}
        assert read_handoff("reset", 600) is None  # another purpose's cookie name
    with app.test_request_context():
        assert read_handoff("register", 600) is None
    with app.test_request_context(headers={"Cookie": f"cp_handoff_register={tampered(good)}"}):
        assert read_handoff("register", 600) is None
    other_purpose = make_token("register", {"i": 3})  # an emailed token is not a hand-off
    with app.test_request_context(headers={"Cookie": f"cp_handoff_register={other_purpose}"}):
        assert read_handoff("register", 600) is None
