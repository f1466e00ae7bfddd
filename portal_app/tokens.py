"""Signed links and hand-offs (S5): itsdangerous tokens with a purpose, an age limit and named failures."""
from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from itsdangerous import (
    BadSignature,
    SignatureExpired,
    TimestampSigner,
    URLSafeTimedSerializer,
)

from . import clock


class TokenInvalid(Exception):
    """Tampered, truncated or made for another purpose."""


class TokenExpired(TokenInvalid):
    """Genuine but older than its limit."""


class _ClockSigner(TimestampSigner):
    """Timestamps from the application clock, so link ages follow the same time as everything else."""

    def get_timestamp(self) -> int:
        return int(clock.utcnow().timestamp())


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"caseport.{purpose}", signer=_ClockSigner)


def make_token(purpose: str, payload: Any) -> str:
    """A URL-safe signed token for `purpose`; carries no personal data, only ids and nonces."""
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> Any:
    """The payload of a token made for `purpose` at most `max_age` seconds ago."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as err:
        raise TokenExpired from err
    except BadSignature as err:
        raise TokenInvalid from err


# A hand-off carries a short-lived state from a /links landing page to one site, in a signed cookie
# scoped to that site's path: the emailed token is exchanged for it and the browser moves on to a
# clean URL (no token, no personal data in the address bar or the history).

def _cookie_name(purpose: str) -> str:
    return f"cp_handoff_{purpose}"


def set_handoff(response: Response, purpose: str, payload: Any, *, path: str, max_age: int) -> Response:
    response.set_cookie(
        _cookie_name(purpose),
        make_token(f"handoff.{purpose}", payload),
        max_age=max_age,
        path=path,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


def read_handoff(purpose: str, max_age: int) -> Any | None:
    """The hand-off's payload, or None when it is missing, tampered or too old."""
    raw = request.cookies.get(_cookie_name(purpose))
    if not raw:
        return None
    try:
        return read_token(f"handoff.{purpose}", raw, max_age)
    except TokenInvalid:
        return None


def clear_handoff(response: Response, purpose: str, *, path: str) -> Response:
    response.delete_cookie(_cookie_name(purpose), path=path,
                           secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax")
    return response
