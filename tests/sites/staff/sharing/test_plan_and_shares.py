"""The client plan (Service Providers), Share Client and Stop sharing on the staff site."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.sharing import policy
from portal_app.sharing.models import ClientShare, ServiceProvider
from portal_app.sharing.part2 import PART2_NOTICE
from tests import factories
from tests import factories as sf
from tests.sites.staff.sharing.helpers import audit_rows, count, html, pages, path_of, post


def test_plan_lists_providers_and_shares(staff, people, record, partner_org):
    sf.share(record["client"], partner_org, people["supervisor"], note="Tuesdays <b>group</b>")
    db.session.commit()
    page = html(staff.get(pages(record)["plan"]))
    assert partner_org.name in page and "Counseling" in page
    assert f"by {people['case_manager'].display_name}" in page  # added by
    assert "Tuesdays &lt;b&gt;group&lt;/b&gt;" in page and f"by {people['supervisor'].display_name}" in page
    assert "Stop sharing" in page and "Remove" in page


def test_add_service_provider_end_to_end(staff, people, record):
    agency = people["admin"].organization
    rehab = factories.partner_organization("Bright Path Rehab", agency=agency)
    factories.partner_organization("Closed Doors", agency=agency, sharing_enabled=False)
    factories.partner_organization("Other Agency Partner", agency=factories.agency())
    db.session.commit()
    form = html(staff.get(pages(record)["plan"]))
    assert "Bright Path Rehab" in form and "Closed Doors" not in form
    assert "Other Agency Partner" not in form  # S15: another agency's partners are not offered
    resp = post(staff, f"/staff/clients/{record['client'].id}/providers",
                {"organization_id": rehab.id, "service": "Residential treatment"})
    assert resp.status_code == 302 and path_of(resp) == pages(record)["plan"]
    assert "Residential treatment" in html(staff.get(pages(record)["plan"]))
    assert count(ServiceProvider, ServiceProvider.organization_id == rehab.id) == 1
    assert len(audit_rows("sharing.provider_added")) == 1


@pytest.mark.parametrize("data, field, message, status", [
    ({"organization_id": "", "service": "x"}, "organization_id", "Choose an organization.", 422),
    ({"organization_id": "abc", "service": "x"}, "organization_id", "Choose one of the organizations", 422),
    ({"organization_id": "999999", "service": "x"}, "organization_id", "Choose one of the organizations", 422),
    ({"service": ""}, "service", "Enter the service this organization provides.", 422),
    ({"service": "s" * 201}, "service", "Use at most 200 characters.", 422),
    ({}, "organization_id", "already a service provider", 422),
])
def test_add_service_provider_refusals_name_the_field(staff, record, partner_org, data, field, message, status):
    full = {"organization_id": str(partner_org.id), "service": "Housing", **data}
    resp = post(staff, f"/staff/clients/{record['client'].id}/providers", full)
    page = html(resp)
    assert resp.status_code == status
    assert message in page and f'id="{field}-error"' in page
    assert count(ServiceProvider) == 1


def test_remove_service_provider_stops_sharing(staff, people, record, partner_org):
    share = sf.share(record["client"], partner_org, people["admin"])
    db.session.commit()
    resp = post(staff, f"/staff/clients/{record['client'].id}/providers/{record['provider'].id}/remove")
    assert resp.status_code == 302 and path_of(resp) == pages(record)["plan"]
    assert count(ServiceProvider) == 0 and not share.active
    assert "No service providers" in html(staff.get(pages(record)["plan"]))


def test_one_button_posts_need_the_csrf_token(staff, record):
    url = f"/staff/clients/{record['client'].id}/providers/{record['provider'].id}/remove"
    assert staff.post(url).status_code == 400
    assert staff.post(f"/staff/contacts/{record['contact'].id}/review").status_code == 400
    assert count(ServiceProvider) == 1 and record["contact"].needs_review


# --- Share Client / Stop sharing -------------------------------------------------------------------


def test_share_page_offers_only_shareable_providers(staff, record, partner_org):
    off = factories.partner_organization("Sharing Off Org")
    sf.provider(record["client"], off)
    off.sharing_enabled = False
    unrelated = factories.partner_organization("Not On The Plan")
    db.session.commit()
    page = html(staff.get(pages(record)["share"]))
    assert f'<option value="{partner_org.id}">{partner_org.name}</option>' in page
    assert "Sharing Off Org" not in page and unrelated.name not in page
    assert "Share note" in page and ">Share Client</button>" in page


def test_share_page_without_providers_points_to_the_plan(staff, record):
    db.session.delete(record["provider"])
    db.session.commit()
    page = html(staff.get(pages(record)["share"]))
    assert "no service provider with sharing enabled" in page and "<select" not in page
    assert f'href="{pages(record)["plan"]}#add-provider"' in page


@pytest.mark.parametrize("part2", [False, True])
def test_share_client_end_to_end_with_the_email(staff, people, record, partner_org, part2):
    person = record["client"]
    person.part2_protected = part2
    db.session.commit()
    resp = post(staff, pages(record)["share"], {"organization_id": partner_org.id, "note": "Weekly group.\nBring ID."},
                page=pages(record)["share"])
    assert resp.status_code == 302 and path_of(resp) == pages(record)["plan"]
    share = db.session.scalars(select(ClientShare)).one()
    assert share.active and share.note == "Weekly group.\nBring ID." and share.shared_by_id == people["case_manager"].id
    [email] = db.session.scalars(select(OutboxEmail)).all()
    assert email.to_address == partner_org.contact_email and email.status == "pending"
    assert "http://localhost/partner/" in email.body_text
    text = email.subject + email.body_text + (email.body_html or "")
    for secret in ("Marisol", "Quintero", "1990", "04-17", person.phone, "Weekly group"):  # S14
        assert secret not in text
    assert (PART2_NOTICE in email.body_text) is part2
    plan = html(staff.get(pages(record)["plan"]))
    assert "The client was shared with" in plan and "Weekly group.\nBring ID." in plan
    assert policy.active_share(people["partner"], person.id) == share


def test_share_twice_is_409_beside_the_field(staff, people, record, partner_org):
    sf.share(record["client"], partner_org, people["admin"])
    db.session.commit()
    resp = post(staff, pages(record)["share"], {"organization_id": partner_org.id, "note": "again"},
                page=pages(record)["share"])
    page = html(resp)
    assert resp.status_code == 409
    assert "already shared with that organization" in page and 'id="organization_id-error"' in page
    assert "again</textarea>" in page  # the typing is kept
    assert count(ClientShare) == 1 and count(OutboxEmail) == 0


@pytest.mark.parametrize("data, field, message", [
    ({"organization_id": ""}, "organization_id", "Choose an organization."),
    ({"organization_id": "999999"}, "organization_id", "Choose one of the organizations in the list."),
    ({"note": "n" * 2001}, "note", "Use at most 2,000 characters."),
    ({"note": "bad\x00byte"}, "note", "invisible control characters"),
])
def test_share_form_errors_name_the_field(staff, record, partner_org, data, field, message):
    resp = post(staff, pages(record)["share"], {"organization_id": partner_org.id, **data}, page=pages(record)["share"])
    page = html(resp)
    assert resp.status_code == 422 and message in page and f'id="{field}-error"' in page
    assert count(ClientShare) == 0


def test_stop_sharing_is_immediate_and_idempotent(staff, people, record, partner_org):
    share = sf.share(record["client"], partner_org, people["admin"])
    db.session.commit()
    url = f"/staff/clients/{record['client'].id}/shares/{share.id}/stop"
    resp = post(staff, url)
    assert resp.status_code == 302 and path_of(resp) == pages(record)["plan"]
    assert not share.active and share.revoked_by_id == people["case_manager"].id
    assert policy.active_share(people["partner"], record["client"].id) is None  # checked on every partner request
    assert post(staff, url).status_code == 302
    assert len(audit_rows("sharing.share_revoked")) == 1
    plan = html(staff.get(pages(record)["plan"]))
    assert "not shared with any partner organization" in plan
