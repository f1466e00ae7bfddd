"""A row saved by another request between this request's read and its write (SQLAlchemy's StaleDataError),
where no domain function made it a refusal of its own: 409 with a sentence, never a 500 (nothing half-saved:
the request's transaction is rolled back)."""
from __future__ import annotations

import pytest
from sqlalchemy.orm.exc import StaleDataError

from portal_app import create_app
from portal_app.authz import public


def _stale():
    raise StaleDataError("UPDATE statement on table 'x' expected to update 1 row(s); 0 were matched.")


@pytest.fixture(scope="module")
def stale_app(database_url):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url, "PROPAGATE_EXCEPTIONS": False})
    app.add_url_rule("/kiosk/_probe/stale", "probe_kiosk_stale", public(_stale))
    return app


def test_a_concurrent_change_is_a_409_page_that_says_what_to_do(stale_app):
    resp = stale_app.test_client().get("/kiosk/_probe/stale")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "Someone else changed this first" in body and "reload the page and try again" in body
