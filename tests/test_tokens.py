"""S5 building blocks: signed tokens refuse tampering, other purposes and old age."""

import pytest
from itsdangerous import URLSafeTimedSerializer

from portal_app.tokens import TokenExpired, TokenInvalid, make_token, read_token
from tests.factories import tampered


def test_round_trip_and_purpose(app):
    token = make_token("invite", {"id": 7, "n": "abc"})
    assert read_token("invite", token, max_age=60) == {"id": 7, "n": "abc"}
    with pytest.raises(TokenInvalid):
        read_token("reset", token, max_age=60)


def test_tampered_token_is_refused(app):
    token = make_token("invite", {"id": 7})
    with pytest.raises(TokenInvalid):
        read_token("invite", tampered(token), max_age=60)


def test_tampering_always_changes_the_signature(app):
    """Tests tamper with `tampered()`: whatever the signature, the token stops being valid."""
    for n in range(500):
        token = make_token("invite", {"id": n})
        with pytest.raises(TokenInvalid):
            read_token("invite", tampered(token), max_age=60)


def test_expired_token_is_refused(app):
    signer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="caseport.invite")
    old = signer.dumps({"id": 7})
    with pytest.raises(TokenExpired):
        read_token("invite", old, max_age=-1)
