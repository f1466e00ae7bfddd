"""The deployment operator: created on the command line, creates agencies, sees no client data."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.accounts.models import Organization, Role, User
from portal_app.extensions import db
from tests import factories
from tests.conftest import csrf_token
from tests import factories as sf

AGENCIES = "/staff/operator/agencies"
PASSWORD = "a long operator passphrase"


@pytest.fixture
def operator():
    return factories.user(factories.operators(), role="operator", email="op@deployment.test")


def _new_agency_form(**overrides) -> dict:
    data = {"name": "Eastside Youth Services", "licence_seats": "12", "admin_email": "admin@eastside.test",
            "admin_first_name": "Eve", "admin_last_name": "East", "admin_password": "twelve chars long"}
    return {**data, **overrides}


def test_create_admin_operator_flag(app, client, auth):
    result = app.test_cli_runner().invoke(args=[
        "create-admin", "--operator", "--email", "op@cli.test", "--first-name", "Olive", "--last-name", "Grant",
        "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    operator = db.session.scalar(select(User).where(User.email == "op@cli.test"))
    assert operator.role == Role.OPERATOR and operator.organization.kind == "operator"
    assert not operator.is_staff
    assert auth.login(operator, PASSWORD).status_code == 302
    assert client.get("/staff/").headers["Location"].endswith(AGENCIES)


def test_operator_creates_an_agency_with_its_first_admin(client, auth, operator, people, app):
    auth.login(operator)
    data = {**_new_agency_form(), "csrf_token": csrf_token(client, f"{AGENCIES}/new")}
    resp = client.post(f"{AGENCIES}/new", data=data)
    assert resp.status_code == 302
    agency = db.session.scalar(select(Organization).where(Organization.name == "Eastside Youth Services"))
    assert agency.is_agency and agency.licence_seats == 12
    first = db.session.scalar(select(User).where(User.email == "admin@eastside.test"))
    assert first.role == "admin" and first.organization_id == agency.id
    page = client.get(AGENCIES).get_data(as_text=True)
    assert "Eastside Youth Services" in page and "1 / 12" in page
    assert people["admin"].organization.name in page and "4 / " in page  # people: 3 staff + 1 partner


def test_operator_form_refuses_taken_names_and_emails(client, auth, operator, people):
    auth.login(operator)
    token = csrf_token(client, f"{AGENCIES}/new")
    taken = _new_agency_form(name=people["admin"].organization.name.upper())
    resp = client.post(f"{AGENCIES}/new", data={**taken, "csrf_token": token})
    assert resp.status_code == 422 and "An organization with this name already exists." in resp.get_data(as_text=True)
    resp = client.post(f"{AGENCIES}/new", data={**_new_agency_form(admin_email=people["admin"].email),
                                                 "csrf_token": token})
    assert resp.status_code == 422 and "Another user account already uses this email" in resp.get_data(as_text=True)
    resp = client.post(f"{AGENCIES}/new", data={**_new_agency_form(licence_seats="0"), "csrf_token": token})
    assert resp.status_code == 422 and "from 1 to 100,000" in resp.get_data(as_text=True)


def test_operator_sets_an_agencys_seats(client, auth, operator, agency):
    auth.login(operator)
    url = f"{AGENCIES}/{agency.id}"
    data = {"licence_seats": "40", "version_id": str(agency.version_id), "csrf_token": csrf_token(client, url)}
    assert client.post(url, data=data).status_code == 302
    assert agency.licence_seats == 40
    partner = factories.partner_organization(agency=agency)
    assert client.get(f"{AGENCIES}/{partner.id}").status_code == 404


def test_operator_sees_no_client_data(client, auth, operator, people):
    """The role matrix refuses every agency page; the staff home sends the operator to its area."""
    client_row = sf.client(people["admin"].organization, first_name="Secretive")
    auth.login(operator)
    for url in ("/staff/clients", f"/staff/clients/{client_row.id}", "/staff/messages", "/staff/admin/users",
                "/staff/admin/organizations", "/staff/admin/settings", f"/staff/clients/{client_row.id}/log"):
        assert client.get(url).status_code == 403, url
    assert "Secretive" not in client.get(AGENCIES).get_data(as_text=True)


def test_agency_admins_cannot_reach_the_operator_area(client, auth, people, agency):
    auth.login(people["admin"])
    assert client.get(AGENCIES).status_code == 403
    assert client.get(f"{AGENCIES}/{agency.id}").status_code == 403
