"""Clients on the staff site: the profile, its audit trail, and who may open it."""
from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.clients import services
from portal_app.clients.models import PRIMARY_CASE_MANAGER
from portal_app.extensions import db
from tests import factories
from tests.conftest import csrf_token
from tests.factories import clients as client_factories
from tests.sites.staff.admin.helpers import html
from tests.sites.staff.clients.helpers import LIST, audit_actions, client_form, profile


def test_profile_shows_the_record_with_toolbar_and_tabs(staff, roster, case_manager, supervisor):
    maria = roster["maria"]
    resp = staff.get(profile(maria))
    page = html(resp)
    assert resp.status_code == 200
    toolbar = re.search(r'<header class="client-toolbar">(.*?)</header>', page, re.S).group(1)
    assert "<h1>Maria Garcia</h1>" in toolbar and "avatar-initials" in toolbar
    menu = re.search(r'<details class="overflow-menu">(.*?)</details>', toolbar, re.S).group(1)
    assert '<summary aria-label="More actions for Maria Garcia">' in menu
    assert f'href="{profile(maria)}/edit">Edit client<' in menu and f'href="{profile(maria)}/photo">Change photo<' in menu
    assert re.search(r'<nav class="tabs" aria-label="Client record">.*aria-current="page">Profile</a>', page, re.S)
    assert "42 CFR Part 2 protected" in page and "Spanish" not in page and "English" in page
    for shown in ("(541) 555-0101", "maria@example.org", "1 Main St", "97401", case_manager.full_name,
                  case_manager.email, PRIMARY_CASE_MANAGER, supervisor.full_name):
        assert shown in page


def test_every_view_of_a_record_is_audited_and_kept(staff, roster, case_manager):
    maria = roster["maria"]
    staff.get(profile(maria))
    staff.get(f"{profile(maria)}/edit")
    db.session.rollback()  # only what the requests committed remains
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "client.viewed",
                                                        AuditEvent.client_id == maria.id)).all()
    assert [(e.actor_id, e.site, json.loads(e.details)["page"]) for e in views] == [
        (case_manager.id, "staff", "staff.client_profile"), (case_manager.id, "staff", "staff.client_edit")]


@pytest.mark.parametrize("path", ["", "/edit", "/photo", "/photo/full", "/photo/thumb"])
def test_another_agencys_staff_get_404(outsider, roster, path):
    maria = roster["maria"]
    services.set_client_photo(factories.user(maria.organization), maria, client_factories.image_bytes(), "p.png")
    db.session.commit()
    assert outsider.get(profile(maria) + path).status_code == 404
    assert outsider.get(f"/staff/clients/999999{path}").status_code == 404
    if path in ("/edit", "/photo"):
        token = csrf_token(outsider, LIST + "/new")
        assert outsider.post(profile(maria) + path, data={**client_form(), "csrf_token": token}).status_code == 404
    assert "client.viewed" not in audit_actions(maria)
    assert "Garcia" not in html(outsider.get(LIST))


@pytest.mark.parametrize("path", ["", "/1", "/1/edit", "/1/photo", "/1/photo/full", "/new"])
def test_partner_users_are_sent_to_the_staff_sign_in(client, auth, partner_user, path):
    assert auth.login(partner_user).status_code == 302
    resp = client.get(LIST + path)
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == "/staff/login"
