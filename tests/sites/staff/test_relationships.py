"""Invite a representative (issue 10, item 14): staff choose the relationship from a list the portal
translates; other words go under "Other" and read as typed."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.extensions import db
from portal_app.portal_access.models import Invitation
from tests.conftest import csrf_token
from tests import factories as sf


def html(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.fixture
def staff(client, auth, people):
    people["case_manager"].perm_client_portal = True
    person = sf.client(people["admin"].organization, first_name="Odalys")
    db.session.commit()
    assert auth.login(people["case_manager"]).status_code == 302
    client.invite_url = f"/staff/clients/{person.id}/portal/invite-representative"
    client.page_url = f"/staff/clients/{person.id}/portal"
    return client


def invite(http, **fields):
    data = {"rep-email": "family@example.test", **{f"rep-{k}": v for k, v in fields.items()}}
    return http.post(http.invite_url, data={**data, "csrf_token": csrf_token(http, http.page_url)})


def labels() -> list[str]:
    return list(db.session.scalars(select(Invitation.relationship_label).order_by(Invitation.id)))


def test_the_form_offers_the_relationships(staff):
    page = html(staff.get(staff.page_url))
    for value in ("mother", "father", "guardian", "grandparent", "foster parent", "spouse or partner",
                  "legal representative", "case worker", "other"):
        assert f'<option value="{value}">' in page, value
    assert 'name="rep-relationship_label"' in page  # the words for "Other"


@pytest.mark.parametrize(("fields", "stored"), [
    ({"relationship": "grandparent"}, "grandparent"),
    ({"relationship": "foster parent", "relationship_label": "ignored"}, "foster parent"),
    ({"relationship": "other", "relationship_label": "tía"}, "tía"),
    ({"relationship_label": "neighbour"}, "neighbour"),  # words alone (an older form) mean "other"
])
def test_a_choice_or_other_words_are_stored(staff, fields, stored):
    assert invite(staff, **fields).status_code == 302
    assert labels() == [stored]


@pytest.mark.parametrize(("fields", "message"), [
    ({}, "Choose the relationship, like mother, father or guardian."),
    ({"relationship": "other"}, "Type the relationship, like aunt or neighbour."),
    ({"relationship": "cousin"}, "Choose one of the relationships in the list."),
])
def test_missing_or_unknown_relationship_is_refused_beside_its_field(staff, fields, message):
    resp = invite(staff, **fields)
    assert resp.status_code == 422 and message in html(resp) and labels() == []
