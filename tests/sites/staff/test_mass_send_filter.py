"""The mass-send client filter matches names the way the client search does (accents and case aside)."""
from __future__ import annotations

import pytest

from portal_app.extensions import db
from tests.messaging.helpers import allow_messaging
from tests import factories as sf


@pytest.fixture
def cm_http(client, auth, people):
    allow_messaging(people["case_manager"])
    for first, last in (("Lucía", "Núñez"), ("Ana", "González"), ("Ben", "Nunn")):
        sf.care_team(sf.client(people["admin"].organization, first_name=first, last_name=last),
                     people["case_manager"])
    db.session.commit()
    assert auth.login(people["case_manager"]).status_code == 302
    return client


@pytest.mark.parametrize("typed, found, not_found", [
    ("nunez", ["Núñez"], ["González", "Nunn"]),
    ("NÚÑ", ["Núñez"], ["González"]),
    ("gonzalez ana", ["González"], ["Núñez"]),
    ("lucia nun", ["Núñez"], ["Nunn", "González"]),
    ("%", [], ["Núñez", "González", "Nunn"]),
])
def test_filter_folds_accents_and_case(cm_http, typed, found, not_found):
    resp = cm_http.get("/staff/messages/mass", query_string={"q": typed})
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    for name in found:
        assert name in page, (typed, name)
    for name in not_found:
        assert name not in page, (typed, name)
