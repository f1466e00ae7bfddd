"""Sharing pages on the staff site: who may open them; other agencies get 404."""
from __future__ import annotations

import json

import pytest

from portal_app.extensions import db
from portal_app.sharing.models import ServiceProvider
from tests import factories
from tests import factories as sf
from tests.conftest import Auth
from tests.sites.staff.sharing.helpers import audit_rows, count, html, pages, path_of, post


@pytest.mark.parametrize("page", ["plan", "share", "log", "contact", "edit"])
@pytest.mark.parametrize("role", ["admin", "supervisor", "case_manager"])
def test_pages_open_for_staff_of_the_agency_and_are_audited(client, auth, people, record, page, role):
    assert auth.login(people[role]).status_code == 302
    resp = client.get(pages(record)[page])
    assert resp.status_code == 200 and "Marisol Quintero" in html(resp)
    action = "contact.viewed" if page in ("contact", "edit") else "client.viewed"
    [event_] = audit_rows(action)
    assert event_.client_id == record["client"].id and event_.actor_id == people[role].id
    assert json.loads(event_.details)["page"].startswith("staff.")


@pytest.mark.parametrize("page", ["plan", "share", "log", "contact", "edit"])
def test_staff_of_another_agency_get_404(client, auth, record, page):
    stranger = factories.user(factories.agency(), role="admin")
    db.session.commit()
    assert Auth(client).login(stranger).status_code == 302
    assert client.get(pages(record)[page]).status_code == 404


def test_posts_about_another_agencys_client_are_404(client, people, record, partner_org):
    stranger = factories.user(factories.agency(), role="supervisor")
    share = sf.share(record["client"], partner_org, people["admin"])
    db.session.commit()
    Auth(client).login(stranger)
    c, contact = record["client"].id, record["contact"].id
    for url, data in [
        (f"/staff/clients/{c}/providers", {"organization_id": partner_org.id, "service": "x"}),
        (f"/staff/clients/{c}/providers/{record['provider'].id}/remove", {}),
        (f"/staff/clients/{c}/share", {"organization_id": partner_org.id}),
        (f"/staff/clients/{c}/shares/{share.id}/stop", {}),
        (f"/staff/clients/{c}/contacts", {"occurred_at": "2024-01-01T10:00", "method": "phone", "notes": "x"}),
        (f"/staff/contacts/{contact}/edit", {}),
        (f"/staff/contacts/{contact}/review", {}),
    ]:
        assert post(client, url, data).status_code == 404, url
    assert record["contact"].needs_review and share.active and count(ServiceProvider) == 1


@pytest.mark.parametrize("page", ["plan", "share", "log", "contact", "edit"])
def test_partner_users_are_sent_to_the_staff_sign_in(client, auth, people, record, page):
    assert auth.login(people["partner"]).status_code == 302  # signed in on the partner site
    resp = client.get(pages(record)[page])
    assert resp.status_code == 302 and path_of(resp) == "/staff/login"


def test_unknown_ids_are_404(staff, record):
    c = record["client"].id
    for url in ("/staff/clients/999999/plan", "/staff/clients/999999/log", "/staff/contacts/999999"):
        assert staff.get(url).status_code == 404
    assert post(staff, f"/staff/clients/{c}/providers/999999/remove").status_code == 404
    assert post(staff, f"/staff/clients/{c}/shares/999999/stop").status_code == 404


def test_a_provider_of_another_client_is_404(staff, people, record, partner_org):
    other = sf.client(people["admin"].organization)
    theirs = sf.provider(other, partner_org)
    db.session.commit()
    url = f"/staff/clients/{record['client'].id}/providers/{theirs.id}/remove"
    assert post(staff, url).status_code == 404
    assert db.session.get(ServiceProvider, theirs.id) is not None


def test_client_toolbar_and_tabs_lead_to_the_sharing_pages(staff, record):
    page = html(staff.get(f"/staff/clients/{record['client'].id}/log"))
    for href in ("plan", "share", "log"):
        assert f'href="/staff/clients/{record["client"].id}/{href}"' in page
    assert ">Share Client</a>" in page and ">Plan</a>" in page and "aria-current=\"page\">Log</a>" in page
