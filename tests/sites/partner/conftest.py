"""Fixtures for the partner site's view tests: a shared client and a signed-in partner."""
from __future__ import annotations

import pytest

from portal_app.extensions import db
from tests import factories as pf

SHARE_NOTE = "Weekly counseling on Tuesdays; please record each session."


@pytest.fixture
def shared(people):
    """A client of the agency shared with the partner's organization (committed: a refused
    request rolls back to the last commit, and uncommitted rows would vanish with it)."""
    staff = people["admin"]
    share = pf.share(pf.client(staff.organization), people["partner"].organization, staff, note=SHARE_NOTE)
    db.session.commit()
    return share


@pytest.fixture
def partner(client, auth, people):
    """The test client, signed in as the partner organization's user."""
    assert auth.login(people["partner"]).status_code == 302
    return client
