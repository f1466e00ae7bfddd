"""Client Portal Manager on the staff site: permissions, invitations, revoke, per-representative visibility."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.portal_access.models import ClientAccess, HiddenItem, Invitation
from tests import factories
from tests.conftest import csrf_token
from tests import factories as pf
from tests import factories as sf

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def html(resp) -> str:
    return resp.get_data(as_text=True)


def post(http, url: str, data: dict | None = None):
    return http.post(url, data={**(data or {}), "csrf_token": csrf_token(http, "/staff/")})


@pytest.fixture
def setup(people):
    """A client with their own account and two representatives; the staff hold Client Portal (committed)."""
    for role in ("admin", "supervisor", "case_manager"):
        people[role].perm_client_portal = True
    person = sf.client(people["admin"].organization, first_name="Odalys", email="odalys@example.test")
    me = pf.access(pf.account("odalys"), person, "self", can_sign=True)
    mum = pf.access(pf.account("mum"), person, "representative", "mother", can_sign=True)
    dad = pf.access(pf.account("dad"), person, "representative", "father")
    invitation = pf.invitation(person, people["admin"], email="aunt@example.test", relationship="representative",
                               label="aunt")
    db.session.commit()
    return {"client": person, "me": me, "mum": mum, "dad": dad, "invitation": invitation}


@pytest.fixture
def staff(client, auth, setup, people):
    assert auth.login(people["case_manager"]).status_code == 302
    return client


def base(setup) -> str:
    return f"/staff/clients/{setup['client'].id}/portal"


def endpoints(setup) -> list[tuple[str, str, dict]]:
    b, inv, dad = base(setup), setup["invitation"].id, setup["dad"].id
    item = {"item_type": "client_access", "item_id": setup["mum"].id}
    return [("get", b, {}), ("post", f"{b}/invite-client", {"client-email": "x@example.test"}),
            ("post", f"{b}/invite-representative", {"rep-email": "x@example.test", "rep-relationship_label": "aunt"}),
            ("post", f"{b}/invitations/{inv}/resend", {}), ("post", f"{b}/invitations/{inv}/cancel", {}),
            ("post", f"{b}/accesses/{dad}/revoke", {}), ("post", f"{b}/accesses/{dad}/hide", item),
            ("post", f"{b}/accesses/{dad}/show", item)]


def test_page_lists_accounts_invitations_and_forms(staff, setup):
    page = html(staff.get(base(setup)))
    name = setup["client"].display_name
    for text in (f"{name} (the client)", f"Mother of {name}", f"Father of {name}", "aunt@example.test",
                 "Invite the client", "Invite a representative", "May sign documents", f"Hidden from Father of {name}",
                 "Revoke access", "Resend", "already has their own portal account: one account at a time"):
        assert text in page, text
    for username in ("odalys<", "mum<", "dad<", ">Username<"):  # people by name; usernames are for administrators
        assert username not in page, username
    assert 'value="odalys@example.test"' not in page  # no prefilled invitation for a client who has an account
    profile = html(staff.get(f"/staff/clients/{setup['client'].id}"))
    assert "Client Portal</a>" in profile


def test_administrators_also_see_usernames(client, auth, setup, people):
    assert auth.login(people["admin"]).status_code == 302
    page = html(client.get(base(setup)))
    assert '<th scope="col">Username</th>' in page
    assert all(f"<td>{u}</td>" in page for u in ("odalys", "mum", "dad"))
    assert "already has their own portal account (odalys)" in page


@pytest.mark.parametrize("case", ["no_permission", "module_off"])
def test_manager_is_forbidden_without_permission_or_module(client, auth, setup, people, case):
    user = people["supervisor"]
    if case == "no_permission":
        user.perm_client_portal = False
    else:
        user.organization.module_client_portal = False
    db.session.commit()
    assert auth.login(user).status_code == 302
    for method, url, data in endpoints(setup):
        resp = client.get(url) if method == "get" else post(client, url, data)
        assert resp.status_code == 403, url
    profile = html(client.get(f"/staff/clients/{setup['client'].id}"))
    assert "/portal\"" not in profile and "Client Portal" not in profile
    assert db.session.scalar(select(func.count(HiddenItem.id))) == 0


def test_another_agencys_client_is_not_found(client, auth, setup):
    other = factories.agency()
    outsider = factories.user(other, role="admin", email="outsider@other.test", perm_client_portal=True)
    db.session.commit()
    assert auth.login(outsider).status_code == 302
    for method, url, data in endpoints(setup):
        resp = client.get(url) if method == "get" else post(client, url, data)
        assert resp.status_code == 404, url


def test_invite_a_representative_sends_the_email(staff, setup):
    resp = post(staff, f"{base(setup)}/invite-representative",
                {"rep-email": "gran@example.test", "rep-relationship_label": "grandmother", "rep-can_sign": "y"})
    assert resp.status_code == 302
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "gran@example.test"))
    assert (invitation.relationship_kind, invitation.relationship_label, invitation.can_sign) == (
        "representative", "grandmother", True)
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == "gran@example.test"))
    assert "/links/invite/" in email.body_text and "Odalys" not in email.body_text


def test_invite_the_client_twice_is_refused_with_a_field_message(staff, setup):
    resp = post(staff, f"{base(setup)}/invite-client", {"client-email": "odalys@example.test"})
    assert resp.status_code == 409
    assert "already has a pending invitation or an account" in html(resp)


def test_a_client_without_an_account_gets_the_prefilled_invitation(staff, setup):
    setup["me"].revoked_at = setup["me"].granted_at
    db.session.commit()
    page = html(staff.get(base(setup)))
    assert 'value="odalys@example.test"' in page and "already has their own portal account" not in page


def test_invite_with_a_bad_address_answers_422(staff, setup):
    resp = post(staff, f"{base(setup)}/invite-representative", {"rep-email": "nope", "rep-relationship_label": ""})
    assert resp.status_code == 422
    page = html(resp)
    assert "Enter a valid email address" in page and "Choose the relationship" in page


def test_resend_and_cancel(staff, setup):
    invitation = setup["invitation"]
    nonce = invitation.nonce
    assert post(staff, f"{base(setup)}/invitations/{invitation.id}/resend").status_code == 302
    db.session.refresh(invitation)
    assert invitation.nonce != nonce
    assert post(staff, f"{base(setup)}/invitations/{invitation.id}/cancel").status_code == 302
    assert post(staff, f"{base(setup)}/invitations/{invitation.id}/cancel").status_code == 302  # twice: harmless
    db.session.refresh(invitation)
    assert invitation.cancelled_at is not None
    assert "aunt@example.test" not in html(staff.get(base(setup)))


def test_revoke_access_is_audited_and_idempotent(staff, setup):
    dad = setup["dad"]
    for _ in range(2):
        assert post(staff, f"{base(setup)}/accesses/{dad.id}/revoke").status_code == 302
    db.session.refresh(dad)
    assert dad.revoked_at is not None
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "portal.access_revoked")).all()
    assert len(events) == 1 and events[0].client_id == setup["client"].id


def test_hide_and_show_an_item_from_one_representative(staff, setup):
    dad, mum = setup["dad"], setup["mum"]
    item = {"item_type": "client_access", "item_id": mum.id}
    assert post(staff, f"{base(setup)}/accesses/{dad.id}/hide", item).status_code == 302
    assert db.session.scalar(select(HiddenItem).where(HiddenItem.access_id == dad.id)).item_id == mum.id
    page = html(staff.get(base(setup)))
    assert "Hidden</span>" in page
    assert post(staff, f"{base(setup)}/accesses/{dad.id}/show", item).status_code == 302
    assert db.session.scalar(select(HiddenItem.id)) is None
    refused = post(staff, f"{base(setup)}/accesses/{setup['me'].id}/hide", item)
    assert refused.status_code == 422
    assert post(staff, f"{base(setup)}/accesses/{dad.id}/hide", {"item_type": "client_access",
                                                                 "item_id": "x"}).status_code == 400


def test_child_rows_of_another_client_are_not_found(staff, setup, people):
    other = sf.client(people["admin"].organization)
    stranger = pf.access(pf.account(), other, "self")
    db.session.commit()
    assert post(staff, f"{base(setup)}/accesses/{stranger.id}/revoke").status_code == 404
    assert db.session.get(ClientAccess, stranger.id).revoked_at is None


@FUZZ
@given(email=st.text(max_size=300), label=st.text(max_size=80), can_sign=st.sampled_from(["", "y", "on", "\x00"]))
def test_invite_forms_never_fail_with_a_server_error(staff, setup, email, label, can_sign):
    for url, data in ((f"{base(setup)}/invite-client", {"client-email": email}),
                      (f"{base(setup)}/invite-representative",
                       {"rep-email": email, "rep-relationship_label": label, "rep-can_sign": can_sign})):
        resp = post(staff, url, data)
        assert resp.status_code < 500, (url, resp.status_code)
