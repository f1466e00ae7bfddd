"""Clients on the staff site: adding and editing a client (R3, R4)."""
from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal_app.audit import AuditEvent
from portal_app.clients import services
from portal_app.clients.models import PRIMARY_CASE_MANAGER, Client
from portal_app.extensions import db
from tests.conftest import csrf_token
from tests.sites.staff.admin.helpers import VERSION_RE, html, submit
from tests.sites.staff.clients.helpers import CLIENT_FIELDS, FUZZ, LIST, NEW, audit_actions, client_form, profile


def test_add_a_client(staff, case_manager):
    resp = submit(staff, NEW, client_form())
    assert resp.status_code == 302
    client = db.session.scalar(select(Client).where(Client.last_name == "Garcia"))
    assert urlsplit(resp.headers["Location"]).path == profile(client)
    assert client.organization_id == case_manager.organization_id and client.part2_protected
    assert str(client.date_of_birth) == "1984-03-21" and client.preferred_language == "es"
    assert [(m.user_id, m.role) for m in client.care_team] == [(case_manager.id, PRIMARY_CASE_MANAGER)]
    assert audit_actions(client) == ["client.created"]
    page = html(staff.get(resp.headers["Location"]))
    assert "The client was added." in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Enter the client\u2019s first name."),
        ("last_name", "x" * 101, "Use at most 100 characters."),
        ("date_of_birth", "2999-01-01", "cannot be in the future"),
        ("date_of_birth", "1850-05-05", "after 1 January 1900"),
        ("date_of_birth", "31/31/2000", "real date"),
        ("phone", "12ab", "7 to 20 digits"),
        ("email", "maria@", "valid email address"),
        ("zip_code", "ABCDE", "5-digit ZIP code"),
        ("preferred_language", "fr", "English or Spanish"),
        ("address", "line\x00", "control characters"),
    ],
)
def test_bad_input_is_422_beside_its_field(staff, roster, field, value, message):
    for url in (NEW, f"{profile(roster['james'])}/edit"):
        resp = submit(staff, url, client_form(**{field: value}))
        page = html(resp)
        assert resp.status_code == 422, url
        error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
        assert error and message in error.group(1).replace("&#39;", "'").replace("&rsquo;", "\u2019")
    assert db.session.scalar(select(func.count(Client.id)).where(Client.first_name == "Maria")) == 1


def test_edit_a_client(staff, roster):
    james = roster["james"]
    resp = submit(staff, f"{profile(james)}/edit", client_form(first_name="Jim", last_name="Whitfield"))
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == profile(james)
    assert james.first_name == "Jim" and james.zip_code == "97401"
    assert audit_actions(james)[-1] == "client.updated"
    assert "Jim" not in json.dumps(db.session.scalars(select(AuditEvent.details)).all())


def test_stale_edit_is_409_and_keeps_the_typing(staff, roster, admin):
    james = roster["james"]
    url = f"{profile(james)}/edit"
    loaded = VERSION_RE.search(html(staff.get(url))).group(1)
    services.update_client(admin, james, james.version_id, **{**client_form(), "first_name": "Saved",
                                                              "last_name": "Elsewhere", "date_of_birth": None})
    db.session.commit()
    token = csrf_token(staff, url)
    resp = staff.post(url, data={**client_form(first_name="My Typing"), "version_id": loaded, "csrf_token": token})
    page = html(resp)
    assert resp.status_code == 409
    assert "Someone else changed this client" in page and 'value="My Typing"' in page
    assert "Saved Elsewhere" in page  # the current details beside the typing
    assert VERSION_RE.search(page).group(1) == str(james.version_id)
    assert james.first_name == "Saved"


def test_missing_version_counts_as_stale(staff, roster):
    token = csrf_token(staff, LIST + "/new")
    resp = staff.post(f"{profile(roster['ana'])}/edit", data={**client_form(), "csrf_token": token})
    assert resp.status_code == 409 and roster["ana"].first_name == "Ana"


def test_posts_need_a_csrf_token(staff, roster):
    assert staff.post(NEW, data=client_form()).status_code == 400
    assert staff.post(f"{profile(roster['ana'])}/photo", data={}).status_code == 400


@FUZZ
@given(data=st.data())
def test_client_forms_never_answer_5xx(staff, roster, data):
    plausible = {"first_name": ["Ann"], "last_name": ["Lee"], "date_of_birth": ["1990-02-03", "2990-02-03"],
                 "preferred_language": ["en", "es"], "part2_protected": ["y"], "email": ["a@example.org"],
                 "version_id": [str(roster["ana"].version_id)], "phone": ["5415550101"]}
    values = {
        name: data.draw(st.one_of(st.text(max_size=300), st.sampled_from(plausible.get(name, [""]))), label=name)
        for name in CLIENT_FIELDS
    }
    token = csrf_token(staff, NEW)  # one per session: the same for every form
    for url in (NEW, f"{profile(roster['ana'])}/edit", f"{profile(roster['ana'])}/photo"):
        resp = staff.post(url, data={**values, "photo": values["first_name"], "csrf_token": token})
        assert resp.status_code < 500, html(resp)
