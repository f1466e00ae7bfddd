"""Operator › Agencies: rename, disable and re-enable an agency, and what each site then shows."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.accounts import operator as ops
from portal_app.audit import AuditEvent
from portal_app.extensions import db
from tests import factories
from tests.conftest import Auth, csrf_token
from tests import factories as sf
from tests import factories as pf
from tests.sites.portal.helpers import portal_login

AGENCIES = "/staff/operator/agencies"


@pytest.fixture
def operator():
    return factories.user(factories.operators(), role="operator", email="op@deployment.test")


@pytest.fixture
def operator_client(client, auth, operator):
    assert auth.login(operator).status_code == 302
    return client


def _rename(http, agency, name, version=None):
    url = f"{AGENCIES}/{agency.id}/name"
    return http.post(url, data={"name": name, "version_id": str(version or agency.version_id),
                                "csrf_token": csrf_token(http, url)})


def _access(http, agency, enabled: str):
    token = csrf_token(http, f"{AGENCIES}/{agency.id}")
    return http.post(f"{AGENCIES}/{agency.id}/access", data={"enabled": enabled, "csrf_token": token})


# --- rename -----------------------------------------------------------------------------------------

def test_operator_renames_an_agency(operator_client, agency):
    page = operator_client.get(f"{AGENCIES}/{agency.id}").get_data(as_text=True)
    assert f'href="{AGENCIES}/{agency.id}/name"' in page
    form = operator_client.get(f"{AGENCIES}/{agency.id}/name").get_data(as_text=True)
    assert f'value="{agency.name}"' in form and "At most 120 characters" in form
    resp = _rename(operator_client, agency, "Harbor Family Services")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"{AGENCIES}/{agency.id}")
    assert agency.name == "Harbor Family Services"
    listing = operator_client.get(AGENCIES).get_data(as_text=True)
    assert "Harbor Family Services" in listing and "is now called" in listing


@pytest.mark.parametrize(("name", "message"), [
    ("", "Enter the agency name."),
    ("x" * 121, "Use at most 120 characters."),
    ("Bell\x07Services", "Remove the invisible control characters"),
    ("Tab\tServices", "Remove the invisible control characters"),
])
def test_bad_names_are_refused_on_the_name_field(operator_client, agency, name, message):
    old = agency.name
    resp = _rename(operator_client, agency, name)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and message in page
    assert 'aria-invalid="true"' in page and 'id="name"' in page
    db.session.expire_all()
    assert agency.name == old


def test_a_taken_name_is_refused_on_the_name_field(operator_client, agency):
    factories.partner_organization("Hope Counseling Center")
    resp = _rename(operator_client, agency, "HOPE counseling center")
    assert resp.status_code == 422
    assert "An organization with this name already exists." in resp.get_data(as_text=True)


def test_a_rename_over_someone_elses_save_is_a_conflict(operator_client, agency):
    resp = _rename(operator_client, agency, "Too Late Services", version=agency.version_id + 5)
    assert resp.status_code == 409 and "Someone else changed this record" in resp.get_data(as_text=True)


def test_a_partner_organization_is_no_agency_to_rename_or_disable(operator_client, agency):
    partner = factories.partner_organization(agency=agency)
    token = csrf_token(operator_client, f"{AGENCIES}/{agency.id}")
    resp = operator_client.post(f"{AGENCIES}/{partner.id}/access", data={"enabled": "0", "csrf_token": token})
    assert resp.status_code == 404
    assert operator_client.get(f"{AGENCIES}/{partner.id}/name").status_code == 404


# --- disable and enable -------------------------------------------------------------------------------

def test_the_disable_button_sits_behind_a_confirmation(operator_client, agency):
    page = operator_client.get(f"{AGENCIES}/{agency.id}").get_data(as_text=True)
    details = page[page.index('<details class="confirm">'):page.index("</details>")]
    assert "<summary>Disable agency" in details and f"{AGENCIES}/{agency.id}/access" in details
    assert 'name="enabled" value="0"' in details and "Nothing is deleted" in details


@pytest.mark.parametrize("value", ["", "2", "yes", "0 "])
def test_a_bad_choice_is_a_400_and_changes_nothing(operator_client, agency, value):
    resp = _access(operator_client, agency, value)
    assert resp.status_code == 400 and "Choose whether to disable or enable" in resp.get_data(as_text=True)
    assert agency.enabled


def test_disabling_signs_the_agencys_staff_out_and_tells_them_why(app, operator_client, people):
    agency, casey = people["admin"].organization, people["case_manager"]
    staff = app.test_client()
    assert Auth(staff).login(casey).status_code == 302
    assert staff.get("/staff/clients").status_code == 200

    resp = _access(operator_client, agency, "0")
    assert resp.status_code == 302
    page = operator_client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "is disabled: its staff are signed out" in page and "badge-off" in page and "again</button>" in page
    assert "Disabled" in operator_client.get(AGENCIES).get_data(as_text=True)

    again = staff.get("/staff/clients")  # the session ends at its next request
    assert again.status_code == 302 and "/staff/login" in again.headers["Location"]
    refused = Auth(staff).login(casey)
    assert refused.status_code == 403
    assert "access to Caseport is suspended" in refused.get_data(as_text=True)
    wrong = Auth(staff).login(casey, password="not the right password")
    assert wrong.status_code == 401 and "suspended" not in wrong.get_data(as_text=True)

    assert _access(operator_client, agency, "1").status_code == 302
    assert Auth(staff).login(casey).status_code == 302
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("operator.agency_%")))
    assert list(actions) == ["operator.agency_disabled", "operator.agency_enabled"]


def test_partners_keep_what_a_disabled_agency_shared(app, operator, people):
    agency = people["admin"].organization
    shared = sf.client(agency, first_name="Noah")
    sf.share(shared, people["partner"].organization, people["admin"])
    ops.set_agency_enabled(operator, agency, False)
    partner = app.test_client()
    assert Auth(partner).login(people["partner"]).status_code == 302
    assert partner.get(f"/partner/clients/{shared.id}").status_code == 200


# --- the client portal ------------------------------------------------------------------------------

@pytest.fixture
def family(people):
    """A guardian acting for a child of the people's agency and a child of another agency."""
    other = factories.agency("Open Agency", phone="541-555-0100")
    guardian = pf.account("guardian.two")
    here = pf.access(guardian, pf.client(people["admin"].organization, first_name="Ana"), label="mother")
    there = pf.access(guardian, pf.client(other, first_name="Leo"), label="mother")
    return guardian, here, there


def test_portal_pages_of_a_disabled_agency_say_temporarily_unavailable(client, operator, people):
    agency = people["admin"].organization
    agency.phone = "541-555-0199"
    account = pf.account("solo.client")
    pf.access(account, pf.client(agency), relationship="self")
    ops.set_agency_enabled(operator, agency, False)
    assert portal_login(client, "solo.client").status_code == 302
    for url in ("/portal/", "/portal/messages"):
        resp = client.get(url)
        page = resp.get_data(as_text=True)
        assert resp.status_code == 503 and resp.headers["Retry-After"] == "3600"
        assert "Temporarily unavailable" in page and agency.name in page and "tel:541-555-0199" in page
        assert "See someone else" not in page
    assert client.get("/portal/account").status_code == 200  # settings and sign-out still work
    ops.set_agency_enabled(operator, agency, True)
    assert client.get("/portal/").status_code == 200


def test_the_page_is_in_the_clients_language(client, operator, people):
    account = pf.account("maria.es", language="es")
    pf.access(account, pf.client(people["admin"].organization), relationship="self")
    ops.set_agency_enabled(operator, people["admin"].organization, False)
    portal_login(client, "maria.es")
    page = client.get("/portal/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "No disponible por ahora" in page and "no está usando el portal" in page


def test_a_family_lands_on_the_record_whose_agency_is_open(client, operator, people, family):
    guardian, here, there = family
    ops.set_agency_enabled(operator, people["admin"].organization, False)
    portal_login(client, guardian.username)
    home = client.get("/portal/")
    assert home.status_code == 200 and "Leo" in home.get_data(as_text=True)
    token = csrf_token(client, "/portal/switch")
    client.post("/portal/acting-for", data={"client_id": str(here.client_id), "csrf_token": token})
    closed = client.get("/portal/")
    assert closed.status_code == 503 and 'href="/portal/switch"' in closed.get_data(as_text=True)
