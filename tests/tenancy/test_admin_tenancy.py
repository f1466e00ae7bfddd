"""Issue 9, Tenancy (high): an agency administrator manages only their own agency."""
from __future__ import annotations

from sqlalchemy import func, select

from portal_app.accounts.models import User
from portal_app.extensions import db
from tests import factories
from tests.conftest import csrf_token

USERS = "/staff/admin/users"
ORGS = "/staff/admin/organizations"


def _other_agency():
    """Agency B with its administrator (the attacker in these tests)."""
    agency_b = factories.agency("Northside Test Agency")
    return agency_b, factories.user(agency_b, role="admin", email="admin@b.test")


def _new_user_form(org_id: int, email: str = "mole@b.test") -> dict:
    return {"email": email, "password": "twelve chars long", "first_name": "Mo", "last_name": "Le",
            "organization_id": str(org_id), "role": "case_manager", "enabled": "y"}


def test_admin_cannot_create_a_user_in_another_agency(client, auth, people):
    """Before: `organization_id` of agency A made a case manager of A who then opened A's clients."""
    agency_a = people["admin"].organization
    _, admin_b = _other_agency()
    auth.login(admin_b)
    data = {**_new_user_form(agency_a.id), "csrf_token": csrf_token(client, f"{USERS}/new")}
    resp = client.post(f"{USERS}/new", data=data)
    assert resp.status_code in (404, 422)
    assert db.session.scalar(select(User).where(func.lower(User.email) == "mole@b.test")) is None


def test_admin_cannot_change_another_agencys_user(client, auth, people):
    """Before: POST /staff/admin/users/<id> of agency A's case manager set their password (takeover)."""
    victim = people["case_manager"]
    old_hash = victim.password_hash
    _, admin_b = _other_agency()
    auth.login(admin_b)
    assert client.get(f"{USERS}/{victim.id}").status_code == 404
    data = {"email": victim.email, "password": "taken over at last", "first_name": "X", "last_name": "Y",
            "organization_id": str(admin_b.organization_id), "role": "case_manager", "enabled": "y",
            "version_id": str(victim.version_id), "csrf_token": csrf_token(client, USERS)}
    assert client.post(f"{USERS}/{victim.id}", data=data).status_code == 404
    db.session.refresh(victim)
    assert victim.password_hash == old_hash
    assert victim.organization_id == people["admin"].organization_id


def test_admin_cannot_disable_another_agencys_user(client, auth, people):
    victim = people["supervisor"]
    _, admin_b = _other_agency()
    auth.login(admin_b)
    token = csrf_token(client, USERS)
    resp = client.post(f"{USERS}/enabled", data={"csrf_token": token, "user_id": str(victim.id), "enabled": "0"})
    assert resp.status_code == 404
    db.session.refresh(victim)
    assert victim.enabled


def test_lists_show_only_own_agency(client, auth, people):
    """Before: the user and organization lists showed every agency's people and organizations."""
    agency_b, admin_b = _other_agency()
    auth.login(admin_b)
    users_page = client.get(USERS).get_data(as_text=True)
    assert admin_b.email in users_page
    for person in people.values():
        assert person.email not in users_page
    orgs_page = client.get(ORGS).get_data(as_text=True)
    assert people["admin"].organization.name not in orgs_page
    assert people["partner"].organization.name not in orgs_page
    new_user_page = client.get(f"{USERS}/new").get_data(as_text=True)
    assert people["admin"].organization.name not in new_user_page
    assert client.get(f"{ORGS}/{people['admin'].organization_id}").status_code == 404
    assert client.get(f"{ORGS}/{people['partner'].organization_id}").status_code == 404


def test_seats_are_counted_per_agency(client, auth, people, app):
    """Agency A's enabled people do not use agency B's seats."""
    agency_b, admin_b = _other_agency()
    agency_b.licence_seats = 2
    db.session.flush()
    auth.login(admin_b)
    page = client.get(USERS).get_data(as_text=True)
    assert "1 / 2" in page


def test_partner_of_another_agency_is_linked_not_taken_over(client, auth, people):
    """Agency B works with agency A's partner by name: it may share with it, never manage it or its users."""
    hope = people["partner"].organization
    agency_b, admin_b = _other_agency()
    auth.login(admin_b)
    form = {"name": hope.name.upper(), "phone": "", "address": "", "contact_name": "", "contact_email": "",
            "csrf_token": csrf_token(client, f"{ORGS}/new")}
    refused = client.post(f"{ORGS}/new", data=form)
    assert refused.status_code == 422 and "Work with the existing organization" in refused.get_data(as_text=True)
    assert client.post(f"{ORGS}/new", data={**form, "link_existing": "y"}).status_code == 302
    from portal_app.accounts.queries import partner_organizations_for, works_with

    assert works_with(agency_b.id, hope.id) and hope in partner_organizations_for(agency_b.id)
    db.session.refresh(hope)
    assert hope.managing_agency_id == people["admin"].organization_id  # A still manages it
    orgs_page = client.get(ORGS).get_data(as_text=True)
    assert hope.name in orgs_page and "managed by another agency" in orgs_page
    assert client.get(f"{ORGS}/{hope.id}").status_code == 404
    assert people["partner"].email not in client.get(USERS).get_data(as_text=True)
    new_user = client.get(f"{USERS}/new").get_data(as_text=True)
    assert f'value="{hope.id}"' not in new_user  # no partner users for an organization B does not manage


def test_operator_role_is_never_offered_to_agency_admins(client, auth, people):
    auth.login(people["admin"])
    page = client.get(f"{USERS}/new").get_data(as_text=True)
    assert 'value="operator"' not in page
    data = {**_new_user_form(people["admin"].organization_id, "op@b.test"), "role": "operator",
            "csrf_token": csrf_token(client, f"{USERS}/new")}
    assert client.post(f"{USERS}/new", data=data).status_code == 422
    assert db.session.scalar(select(User).where(User.email == "op@b.test")) is None
