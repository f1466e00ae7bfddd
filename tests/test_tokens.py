"""S5 building blocks: signed tokens refuse tampering, other purposes and old age."""

import pytest
from itsdangerous import URLSafeTimedSerializer

from portal_app.tokens import TokenExpired, TokenInvalid, make_token, read_token


def test_round_trip_and_purpose(app):
    token = make_token("invite", {"id": 7, "n": "abc"})
    assert read_token("invite", token, max_age=60) == {"id": 7, "n": "abc"}
    with pytest.raises(TokenInvalid):
        read_token("reset", token, max_age=60)


def test_tampered_token_is_refused(app):
    token = make_token("invite", {"id": 7})
    with pytest.raises(TokenInvalid):
        read_token("invite", token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), max_age=60)


def test_expired_token_is_refused(app):
    signer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="caseport.invite")
    old = signer.dumps({"id": 7})
    with pytest.raises(TokenExpired):
        read_token("invite", old, max_age=-1)
