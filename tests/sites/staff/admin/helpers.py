"""Account administration on the staff site: shared helpers and fixtures."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from portal_app.accounts.models import Organization, User
from portal_app.audit import AuditEvent
from portal_app.extensions import db
from tests.conftest import csrf_token

ORGS = "/staff/admin/organizations"
USERS = "/staff/admin/users"
SETTINGS = "/staff/admin/settings"
VERSION_RE = re.compile(r'name="version_id" type="hidden" value="(\d*)"')
SEAT_MESSAGE = "All {} licence seats are in use. Disable an account or ask for more seats before enabling another."

PAGES = [ORGS, f"{ORGS}/new", ORGS + "/{org}", USERS, f"{USERS}/new", USERS + "/{user}", SETTINGS]


def page_url(page: str, people: dict, org: Organization) -> str:
    return page.format(org=org.id, user=people["case_manager"].id)


def html(resp) -> str:
    return resp.get_data(as_text=True)


def submit(client, url: str, data: dict):
    """Open the form at `url` like a browser, then post `data` with its CSRF token and version."""
    page = html(client.get(url))
    version = VERSION_RE.search(page)
    fields = {"version_id": version.group(1)} if version else {}
    fields.update(data)
    fields["csrf_token"] = csrf_token(client, url)
    return client.post(url, data={k: v for k, v in fields.items() if v is not None})


def org_form(**overrides) -> dict:
    data = {"name": "Hope Counseling", "kind": "partner", "phone": "555-0100", "address": "1 Main St",
            "contact_name": "Rita Reyes", "contact_email": "rita@hope.example", "sharing_enabled": "y"}
    return {**data, **overrides}


def user_form(org: Organization, **overrides) -> dict:
    """A valid Add New user form; a None value leaves the field out (an unchecked box)."""
    data = {"email": "nora.quinn@example.org", "password": "twelve chars long", "first_name": "Nora",
            "middle_name": "", "last_name": "Quinn", "organization_id": str(org.id),
            "role": "case_manager", "enabled": "y", "perm_client_portal": "y"}
    return {**data, **overrides}


def edit_form(user: User, **overrides) -> dict:
    """The edit form as loaded for `user`, with `overrides` typed in."""
    data = {"email": user.email, "password": "", "first_name": user.first_name,
            "middle_name": user.middle_name, "last_name": user.last_name,
            "organization_id": str(user.organization_id), "role": user.role,
            "enabled": "y" if user.enabled else None,
            "perm_client_portal": "y" if user.perm_client_portal else None,
            "perm_messaging": "y" if user.perm_messaging else None}
    return {**data, **overrides}


TOGGLE = f"{USERS}/enabled"


def toggle(client, user: User, enabled: bool):
    """Press the Disable or Enable button in the user's row."""
    token = csrf_token(client, USERS)
    return client.post(TOGGLE, data={"csrf_token": token, "user_id": str(user.id), "enabled": "1" if enabled else "0"})


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def count(model, *where) -> int:
    return db.session.scalar(select(func.count(model.id)).where(*where))
