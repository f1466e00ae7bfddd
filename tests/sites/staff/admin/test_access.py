"""Account administration on the staff site: administrators only; unknown objects are 404."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from portal_app.accounts.models import Organization
from tests.conftest import csrf_token
from tests.sites.staff.admin.helpers import ORGS, PAGES, SETTINGS, TOGGLE, USERS, count, html, org_form, page_url


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role, status", [("admin", 200), ("supervisor", 403), ("case_manager", 403)])
def test_pages_are_for_administrators_only(client, auth, people, partner_org, page, role, status):
    assert auth.login(people[role]).status_code == 302
    assert client.get(page_url(page, people, partner_org)).status_code == status


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, people, partner_org, page):
    resp = client.get(page_url(page, people, partner_org))
    assert resp.status_code == 302
    assert urlsplit(resp.headers["Location"]).path == "/staff/login"


@pytest.mark.parametrize("role", ["supervisor", "case_manager"])
def test_non_admin_posts_are_refused_and_change_nothing(client, auth, people, role):
    auth.login(people[role])
    token = csrf_token(client, "/staff/account")
    assert client.post(f"{ORGS}/new", data={**org_form(), "csrf_token": token}).status_code == 403
    resp = client.post(TOGGLE, data={"csrf_token": token, "user_id": str(people["admin"].id), "enabled": "0"})
    assert resp.status_code == 403
    assert count(Organization, Organization.name == "Hope Counseling") == 0
    assert people["admin"].enabled


def test_my_account_links_to_account_administration(admin_client):
    page = html(admin_client.get("/staff/account"))
    for href in (ORGS, USERS, f"{USERS}#seats", SETTINGS):
        assert f'href="{href}"' in page


def test_my_account_has_no_administration_for_supervisors(client, auth, supervisor):
    auth.login(supervisor)
    page = html(client.get("/staff/account"))
    assert "Account Administration" not in page and ORGS not in page


@pytest.mark.parametrize("url", [f"{ORGS}/999999", f"{USERS}/999999"])
def test_unknown_objects_are_404(admin_client, url):
    assert admin_client.get(url).status_code == 404


def test_toggle_needs_a_csrf_token_and_a_real_user(admin_client, case_manager):
    target = {"user_id": str(case_manager.id), "enabled": "0"}
    assert admin_client.post(TOGGLE, data=target).status_code == 400
    token = csrf_token(admin_client, USERS)
    assert admin_client.post(TOGGLE, data={**target, "csrf_token": token, "user_id": "999999"}).status_code == 404
    for bad in ({"enabled": "maybe"}, {"user_id": "abc"}, {"user_id": "9" * 40}, {"user_id": ""}):
        assert admin_client.post(TOGGLE, data={**target, "csrf_token": token, **bad}).status_code == 400
    assert case_manager.enabled
