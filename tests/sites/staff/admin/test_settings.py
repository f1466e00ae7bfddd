"""Account administration: agency settings (module switches) and the audit trail of changes."""
from __future__ import annotations

import json

from sqlalchemy import select

from portal_app.accounts import administration as admin_ops
from portal_app.accounts.models import Organization
from portal_app.audit import AuditEvent
from portal_app.extensions import db
from tests.conftest import csrf_token
from tests.sites.staff.admin.helpers import (
    ORGS,
    SETTINGS,
    USERS,
    VERSION_RE,
    actions,
    edit_form,
    html,
    org_form,
    submit,
    toggle,
    user_form,
)


def test_module_switches_are_saved_and_audited(admin_client, agency):
    resp = submit(admin_client, SETTINGS, {"module_messaging": "y", "module_referrals": "y"})
    assert resp.status_code == 302
    assert not agency.module_client_portal and agency.module_messaging
    assert not agency.module_kiosk and agency.module_referrals
    details = db.session.scalars(select(AuditEvent.details).where(AuditEvent.action == "admin.modules_updated")).one()
    assert set(json.loads(details)["changes"]) == {"module_client_portal", "module_kiosk"}
    page = html(admin_client.get(SETTINGS))
    assert "<legend>Modules</legend>" in page and 'id="module_messaging" name="module_messaging" type="checkbox"' in page


def test_stale_settings_are_409(admin_client, admin, agency):
    loaded = VERSION_RE.search(html(admin_client.get(SETTINGS))).group(1)
    admin_ops.update_agency_modules(admin, agency, agency.version_id, kiosk=False)
    db.session.commit()
    token = csrf_token(admin_client, SETTINGS)
    resp = admin_client.post(SETTINGS, data={"module_kiosk": "y", "version_id": loaded, "csrf_token": token})
    assert resp.status_code == 409 and not agency.module_kiosk


def test_every_change_leaves_an_audit_event_without_secrets(admin_client, agency, case_manager):
    submit(admin_client, f"{ORGS}/new", org_form())
    org = db.session.scalar(select(Organization).where(Organization.name == "Hope Counseling"))
    submit(admin_client, f"{ORGS}/{org.id}", org_form(phone="555-0199"))
    submit(admin_client, f"{USERS}/new", user_form(agency, password="secret passphrase one"))
    submit(admin_client, f"{USERS}/{case_manager.id}", edit_form(case_manager, password="secret passphrase two"))
    toggle(admin_client, case_manager, False)
    toggle(admin_client, case_manager, True)
    submit(admin_client, SETTINGS, {"module_kiosk": "y"})
    assert [a for a in actions() if a.startswith("admin.")] == [
        "admin.organization_created", "admin.organization_updated", "admin.user_created",
        "admin.user_updated", "admin.user_disabled", "admin.user_enabled", "admin.modules_updated",
    ]
    everything = " ".join(db.session.scalars(select(AuditEvent.details)))
    assert "secret passphrase" not in everything and "$argon2" not in everything
