"""Fixtures for the staff site's view tests."""
from __future__ import annotations

import pytest


@pytest.fixture
def admin_client(client, auth, people):
    """The test client, signed in as the agency administrator.

    Depends on `people` so that the agency, the partner organization and one person of each
    role exist before sign-in commits: a refused change rolls the request back, and rows made
    later and never committed would vanish with it (commit them in the test).
    """
    assert auth.login(people["admin"]).status_code == 302
    return client


@pytest.fixture
def seat_limit(app):
    """Set LICENCE_SEATS for one test; the original comes back afterwards."""
    original = app.config["LICENCE_SEATS"]
    yield lambda total: app.config.__setitem__("LICENCE_SEATS", total)
    app.config["LICENCE_SEATS"] = original
