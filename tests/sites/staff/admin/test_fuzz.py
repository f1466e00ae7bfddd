"""Account administration forms never answer 5xx (R4)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import csrf_token
from tests.sites.staff.admin.helpers import ORGS, USERS, html

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
USER_FIELDS = ("email", "password", "first_name", "middle_name", "last_name", "organization_id", "role",
               "enabled", "perm_client_portal", "perm_messaging", "version_id")
ORG_FIELDS = ("name", "kind", "phone", "address", "contact_name", "contact_email", "sharing_enabled", "version_id")


def fuzz_values(data, fields: tuple[str, ...], plausible: dict[str, list[str]]) -> dict[str, str]:
    """Arbitrary text in every field, sometimes a plausible value so deeper checks are reached."""
    return {
        name: data.draw(st.one_of(st.text(max_size=300), st.sampled_from(plausible.get(name, [""]))), label=name)
        for name in fields
    }


@FUZZ
@given(data=st.data())
def test_user_forms_never_answer_5xx(admin_client, agency, partner_org, case_manager, data):
    plausible = {"organization_id": [str(agency.id), str(partner_org.id)], "role": ["partner", "case_manager"],
                 "email": ["x@example.org", "super@agency.test"], "password": ["twelve chars long"],
                 "version_id": [str(case_manager.version_id)], "first_name": ["Ann"], "last_name": ["Lee"]}
    values = fuzz_values(data, USER_FIELDS, plausible)
    for url in (f"{USERS}/new", f"{USERS}/{case_manager.id}"):
        resp = admin_client.post(url, data={**values, "csrf_token": csrf_token(admin_client, url)})
        assert resp.status_code < 500, html(resp)


@FUZZ
@given(data=st.data())
def test_organization_forms_never_answer_5xx(admin_client, agency, partner_org, data):
    plausible = {"kind": ["agency", "partner"], "name": ["Org", agency.name], "contact_email": ["a@example.org"],
                 "version_id": [str(partner_org.version_id)]}
    values = fuzz_values(data, ORG_FIELDS, plausible)
    for url in (f"{ORGS}/new", f"{ORGS}/{partner_org.id}"):
        resp = admin_client.post(url, data={**values, "csrf_token": csrf_token(admin_client, url)})
        assert resp.status_code < 500, html(resp)
