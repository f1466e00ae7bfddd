"""Signing in to the portal through the real form."""
from __future__ import annotations

from tests.conftest import csrf_token
from tests.factories import PORTAL_PASSWORD as PASSWORD


def portal_login(client, username: str, password: str = PASSWORD, *, ip: str = "127.0.0.1", query=None):
    token = csrf_token(client, "/portal/login")
    return client.post("/portal/login", query_string=query or {}, environ_overrides={"REMOTE_ADDR": ip},
                       data={"username": username, "password": password, "csrf_token": token})


def portal_post(client, url: str, data: dict | None = None, *, token_from: str = "/portal/account"):
    """POST with the CSRF token of a signed-in portal page."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, token_from)})
