"""Account administration: adding and editing organizations."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from portal_app.accounts import administration as admin_ops
from portal_app.accounts.models import Organization
from portal_app.extensions import db
from tests.conftest import csrf_token
from tests.sites.staff.admin.helpers import ORGS, VERSION_RE, actions, count, html, org_form, submit


def test_add_new_organization_end_to_end(admin_client, admin):
    resp = submit(admin_client, f"{ORGS}/new", org_form())
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == ORGS
    listing = html(admin_client.get(ORGS))
    assert "Hope Counseling" in listing and "Sharing enabled" in listing and "Rita Reyes" in listing
    org = db.session.scalar(select(Organization).where(Organization.name == "Hope Counseling"))
    assert org.kind == "partner" and org.sharing_enabled and org.contact_email == "rita@hope.example"
    assert "admin.organization_created" in actions()


def test_edit_organization_end_to_end(admin_client, partner_org):
    url = f"{ORGS}/{partner_org.id}"
    assert 'value="Pat Partner"' in html(admin_client.get(url))
    resp = submit(admin_client, url, org_form(name="Renamed Partner", sharing_enabled=None))
    assert resp.status_code == 302
    assert partner_org.name == "Renamed Partner" and not partner_org.sharing_enabled
    assert "admin.organization_updated" in actions()


@pytest.mark.parametrize("taken", ["Hope Counseling", "HOPE counseling"])
def test_duplicate_organization_name_is_a_field_error(admin_client, admin, taken):
    admin_ops.create_organization(admin, **{**org_form(), "sharing_enabled": True})
    db.session.commit()
    resp = submit(admin_client, f"{ORGS}/new", org_form(name=taken, phone="999"))
    assert resp.status_code == 422
    assert "An organization with this name already exists." in html(resp)
    assert count(Organization, func.lower(Organization.name) == "hope counseling") == 1


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Enter the organization name."),
    ("name", "   ", "Enter the organization name."),
    ("name", "x" * 201, "Use at most 200 characters."),
    ("contact_email", "rita@", "Enter a valid email address"),
    ("contact_email", "not an email", "Enter a valid email address"),
    ("phone", "555\x000100", "Remove the invisible control characters"),
])
def test_organization_form_errors_name_the_field(admin_client, field, value, message):
    before = count(Organization)
    resp = submit(admin_client, f"{ORGS}/new", org_form(**{field: value}))
    assert resp.status_code == 422
    page = html(resp)
    assert message in page and f'id="{field}-error"' in page
    assert count(Organization) == before


def test_sharing_is_refused_for_an_agency(admin_client, agency):
    resp = submit(admin_client, f"{ORGS}/{agency.id}", org_form(name=agency.name, sharing_enabled="y"))
    assert resp.status_code == 422
    assert "Sharing is only for partner organizations." in html(resp)
    assert not agency.sharing_enabled


def test_a_new_organization_is_a_partner_whatever_is_posted(admin_client, agency):
    """Agencies are the operator's to create: a posted kind=agency is not a field of this form."""
    assert submit(admin_client, f"{ORGS}/new", org_form(kind="agency")).status_code == 302
    org = db.session.scalar(select(Organization).where(Organization.name == "Hope Counseling"))
    assert org.kind == "partner" and org.managing_agency_id == agency.id


def test_stale_organization_edit_is_409_and_keeps_the_typing(admin_client, admin, partner_org):
    url = f"{ORGS}/{partner_org.id}"
    loaded = VERSION_RE.search(html(admin_client.get(url))).group(1)
    admin_ops.update_organization(admin, partner_org, partner_org.version_id,
                                  **{**org_form(name="Saved Elsewhere"), "sharing_enabled": True})
    db.session.commit()
    token = csrf_token(admin_client, url)
    resp = admin_client.post(url, data={**org_form(name="My Typing"), "version_id": loaded, "csrf_token": token})
    page = html(resp)
    assert resp.status_code == 409
    assert "Someone else changed this record" in page and 'value="My Typing"' in page
    assert "Saved Elsewhere" in page  # the current details are shown beside the typing
    assert partner_org.name == "Saved Elsewhere"
    # The re-rendered form carries the current version: saving again is a deliberate overwrite.
    assert VERSION_RE.search(page).group(1) == str(partner_org.version_id)
