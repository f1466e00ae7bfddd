"""Invitation links and registration (S5): once, tamper, expiry, cancel, resend; clean URL; family login."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal_app.extensions import db
from portal_app.portal_access import invitations
from portal_app.portal_access.models import ClientAccess, PortalAccount
from tests.conftest import csrf_token
from tests.factories import tampered
from tests import factories as pf
from tests import factories as sf

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NAME = "Philippa"


def html(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.fixture
def invited(people):
    person = sf.client(people["admin"].organization, first_name=NAME, last_name="Thistlewood")
    invitation = pf.invitation(person, people["admin"], email="phil@example.test")
    db.session.commit()
    return invitation


def land(client, invitation):
    return client.get(f"/links/invite/{invitations.invitation_token(invitation)}")


def register(client, **data):
    fields = {"full_name": "Phil Taylor", "username": "phil_t", "password": "eight chars", "confirm_password": "eight chars",
              "email": "phil@example.test", **data}
    return client.post("/portal/register", data={**fields, "csrf_token": csrf_token(client, "/portal/register")})


def test_link_lands_on_a_clean_registration_page(client, invited):
    resp = land(client, invited)
    assert resp.status_code == 302 and resp.headers["Location"] == "/portal/register"
    page = client.get("/portal/register")
    assert page.status_code == 200
    text = html(page)
    assert "can never be changed" in text and "email address" in text and 'value="phil@example.test"' in text
    assert NAME not in text and invitations.invitation_token(invited) not in text


def test_registering_signs_in_and_the_link_then_says_used(client, invited):
    land(client, invited)
    resp = register(client)
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == "/portal/"
    account = db.session.scalar(select(PortalAccount).where(PortalAccount.username == "phil_t"))
    assert account.full_name == "Phil Taylor"  # staff read it beside the relationship (issue 10, item 8)
    access = db.session.scalar(select(ClientAccess).where(ClientAccess.account_id == account.id))
    assert access.client_id == invited.client_id
    db.session.refresh(invited)
    assert invited.accepted_account_id == account.id
    assert client.get("/portal/").status_code == 200
    again = land(client, invited)
    assert again.status_code == 410 and "/portal/login" in html(again) and NAME not in html(again)


@pytest.mark.parametrize(("data", "message"), [
    ({"full_name": "   "}, "Enter your full name"),
    ({"full_name": "x" * 121}, "Enter your full name"),
    ({"full_name": "Phil\x00Taylor"}, "Remove the invisible control characters"),
    ({"username": "ab"}, "Use 3 to 32 letters"),
    ({"username": "a" * 33}, "Use 3 to 32 letters"),
    ({"username": "bad name!"}, "Use 3 to 32 letters"),
    ({"username": "phil@example.test"}, "can never be changed"),
    ({"username": "TAKEN"}, "already taken"),
    ({"password": "short", "confirm_password": "short"}, "Use 8 to 128 characters"),
    ({"confirm_password": "different!"}, "do not match"),
    ({"email": "nope"}, "Enter a valid email address"),
])
def test_registration_refusals_answer_422_beside_the_field(client, invited, data, message):
    pf.account("taken")
    db.session.commit()
    land(client, invited)
    resp = register(client, **data)
    assert resp.status_code == 422
    assert message in html(resp) and 'class="error"' in html(resp)


def test_without_the_handoff_the_page_asks_to_open_the_link_again(client):
    resp = client.get("/portal/register")
    assert resp.status_code == 400 and "open that link again" in html(resp)


def test_tampered_link_shows_the_invalid_page(client, invited):
    token = invitations.invitation_token(invited)
    resp = client.get(f"/links/invite/{tampered(token)}")
    assert resp.status_code == 400 and "not valid" in html(resp) and NAME not in html(resp)
    assert "cp_handoff_register" not in resp.headers.get("Set-Cookie", "")


def test_expired_link_asks_the_agency_to_resend(client, people, frozen_clock):
    person = sf.client(people["admin"].organization, first_name=NAME)
    invitation = pf.invitation(person, people["admin"])
    db.session.commit()
    frozen_clock.advance(timedelta(days=7, minutes=1))
    resp = land(client, invitation)
    assert resp.status_code == 410 and "send it again" in html(resp) and NAME not in html(resp)


def test_cancelled_and_resent_links(client, invited, people):
    old = invitations.invitation_token(invited)
    invitations.resend(people["admin"], invited)
    db.session.commit()
    assert client.get(f"/links/invite/{old}").status_code == 400
    assert land(client, invited).status_code == 302
    invitations.cancel(people["admin"], invited)
    db.session.commit()
    resp = land(client, invited)
    assert resp.status_code == 410 and "cancelled" in html(resp) and NAME not in html(resp)
    assert client.get("/portal/register").status_code == 410  # the hand-off no longer helps


def test_family_login_with_an_existing_account(client, invited, people):
    parent = pf.account("parent")
    sibling = sf.client(people["admin"].organization)
    pf.access(parent, sibling, "representative", "mother")
    db.session.commit()
    land(client, invited)
    token = csrf_token(client, "/portal/register")
    wrong = client.post("/portal/register/existing", data={"existing-username": "parent",
                                                           "existing-password": "wrong password",
                                                           "existing-csrf_token": token})
    assert wrong.status_code == 401
    resp = client.post("/portal/register/existing", data={"existing-username": "parent",
                                                          "existing-password": pf.PORTAL_PASSWORD,
                                                          "existing-csrf_token": token})
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == "/portal/"
    db.session.expire_all()
    assert {a.client_id for a in parent.accesses} == {sibling.id, invited.client_id}
    assert client.get("/portal/").status_code == 200


@FUZZ
@given(username=st.text(max_size=60), password=st.text(max_size=140), email=st.text(max_size=80))
def test_registration_form_never_fails_with_a_server_error(client, invited, username, password, email):
    land(client, invited)
    resp = register(client, username=username, password=password, confirm_password=password, email=email)
    assert resp.status_code < 500
    if resp.status_code == 302:  # it worked: start again with a fresh invitation
        client.post("/portal/logout", data={"csrf_token": csrf_token(client, "/portal/")})
        invited.accepted_at = None
        invited.accepted_account_id = None
        db.session.commit()
