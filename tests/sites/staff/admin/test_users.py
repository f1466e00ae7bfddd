"""Account administration: user accounts, licence seats, sessions ended by changes."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from portal_app.accounts import administration as admin_ops
from portal_app.accounts.models import User
from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.passwords import verify_password
from tests import factories
from tests.conftest import Auth, csrf_token
from tests.sites.staff.admin.helpers import (
    SEAT_MESSAGE,
    USERS,
    VERSION_RE,
    actions,
    count,
    edit_form,
    html,
    submit,
    toggle,
    user_form,
)


def test_add_new_user_end_to_end(app, admin_client, partner_org):
    resp = submit(admin_client, f"{USERS}/new", user_form(partner_org, role="partner", email="Pat.Two@Partner.example"))
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == USERS
    user = db.session.scalar(select(User).where(User.email == "Pat.Two@Partner.example"))
    assert user.role_label == "Third-Party Organization" and user.organization_id == partner_org.id
    assert user.enabled and user.perm_client_portal and not user.perm_messaging
    assert verify_password(user.password_hash, "twelve chars long")
    listing = html(admin_client.get(USERS))
    assert "Nora Quinn" in listing and "Third-Party Organization" in listing and "Client Portal" in listing
    # The new person can sign in to the partner site with the password the admin set.
    assert Auth(app.test_client()).login(user, "twelve chars long").status_code == 302
    assert "admin.user_created" in actions()


def test_users_page_shows_seats_in_use(admin_client, people, seat_limit):
    seat_limit(25)
    page = html(admin_client.get(USERS))
    assert "4 / 25" in page and 'id="seats"' in page


def test_edit_user_keeps_the_password_when_blank(admin_client, case_manager):
    hashed, epoch = case_manager.password_hash, case_manager.session_epoch
    resp = submit(admin_client, f"{USERS}/{case_manager.id}",
                  edit_form(case_manager, first_name="Casey", perm_messaging="y"))
    assert resp.status_code == 302
    assert case_manager.first_name == "Casey" and case_manager.perm_messaging
    assert case_manager.password_hash == hashed and case_manager.session_epoch == epoch
    assert "admin.user_updated" in actions()


@pytest.mark.parametrize("email", ["super@agency.test", "SUPER@AGENCY.TEST"])
def test_duplicate_email_is_a_field_error(admin_client, agency, supervisor, email):
    resp = submit(admin_client, f"{USERS}/new", user_form(agency, email=email))
    assert resp.status_code == 422
    page = html(resp)
    assert "Another user account already uses this email address." in page and 'id="email-error"' in page
    assert count(User, func.lower(User.email) == "super@agency.test") == 1


@pytest.mark.parametrize("field, message", [
    ("email", "Enter the email address."),
    ("password", "Enter a password."),
    ("first_name", "Enter the first name."),
    ("last_name", "Enter the last name."),
    ("organization_id", "Choose the organization this person belongs to."),
    ("role", "Choose a role."),
])
def test_missing_required_user_fields_are_named(admin_client, agency, field, message):
    resp = submit(admin_client, f"{USERS}/new", user_form(agency, **{field: ""}))
    assert resp.status_code == 422
    page = html(resp)
    assert message in page and f'id="{field}-error"' in page
    assert count(User, User.last_name == "Quinn") == 0


@pytest.mark.parametrize("field, value, message", [
    ("email", "nora@", "Enter a valid email address"),
    ("email", "nora quinn", "Enter a valid email address"),
    ("password", "short pass", "Use at least 12 characters."),
    ("password", "p" * 129, "Use at most 128 characters."),
    ("organization_id", "999999", "Choose one of the organizations in the list."),
    ("organization_id", "abc", "Choose one of the organizations in the list."),
    ("role", "superuser", "Choose one of the roles in the list."),
    ("first_name", "N" * 101, "Use at most 100 characters."),
])
def test_bad_user_input_gets_a_field_message(admin_client, agency, field, value, message):
    resp = submit(admin_client, f"{USERS}/new", user_form(agency, **{field: value}))
    assert resp.status_code == 422
    assert message in html(resp)
    assert count(User, User.last_name == "Quinn") == 0


@pytest.mark.parametrize("role, org_fixture, message", [
    ("partner", "agency", "A Third-Party Organization user must belong to a partner organization."),
    ("supervisor", "partner_org", "Administrator, Supervisor and Case Manager accounts must belong to an agency."),
])
def test_role_must_fit_the_organization(request, admin_client, role, org_fixture, message):
    org = request.getfixturevalue(org_fixture)
    db.session.commit()
    resp = submit(admin_client, f"{USERS}/new", user_form(org, role=role))
    assert resp.status_code == 422
    page = html(resp)
    assert message in page and 'id="role-error"' in page
    assert count(User, User.last_name == "Quinn") == 0


def test_seat_limit_refuses_an_enabled_account_on_create(admin_client, agency, people, seat_limit):
    seat_limit(4)
    resp = submit(admin_client, f"{USERS}/new", user_form(agency))
    assert resp.status_code == 409
    assert SEAT_MESSAGE.format(4) in html(resp)
    assert count(User, User.last_name == "Quinn") == 0
    # A disabled account needs no seat.
    resp = submit(admin_client, f"{USERS}/new", user_form(agency, enabled=None))
    assert resp.status_code == 302
    assert count(User, User.last_name == "Quinn", User.enabled.is_(False)) == 1


def test_seat_limit_refuses_enabling(admin_client, agency, people, seat_limit):
    dormant = factories.user(agency, enabled=False)
    db.session.commit()
    seat_limit(4)
    resp = toggle(admin_client, dormant, True)
    assert resp.status_code == 409
    assert SEAT_MESSAGE.format(4) in html(resp)
    assert not dormant.enabled and "admin.user_enabled" not in actions()
    resp = submit(admin_client, f"{USERS}/{dormant.id}", edit_form(dormant, enabled="y"))
    assert resp.status_code == 409 and SEAT_MESSAGE.format(4) in html(resp)
    assert not dormant.enabled
    seat_limit(5)
    assert toggle(admin_client, dormant, True).status_code == 302
    assert dormant.enabled and "admin.user_enabled" in actions()


def test_disabling_a_user_ends_their_session(app, admin_client, case_manager):
    theirs = app.test_client()
    assert Auth(theirs).login(case_manager).status_code == 302
    assert theirs.get("/staff/").status_code == 200
    resp = toggle(admin_client, case_manager, False)
    assert resp.status_code == 302
    assert not case_manager.enabled and "admin.user_disabled" in actions()
    assert "Disabled" in html(admin_client.get(USERS))
    resp = theirs.get("/staff/")
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == "/staff/login"
    # Enabling again does not bring the old cookie back to life.
    assert toggle(admin_client, case_manager, True).status_code == 302
    assert theirs.get("/staff/").status_code == 302


@pytest.mark.parametrize("change", [{"password": "a brand new passphrase"}, {"role": "supervisor"}])
def test_new_password_or_role_ends_their_sessions(app, admin_client, case_manager, change):
    theirs = app.test_client()
    assert Auth(theirs).login(case_manager).status_code == 302
    resp = submit(admin_client, f"{USERS}/{case_manager.id}", edit_form(case_manager, **change))
    assert resp.status_code == 302
    assert theirs.get("/staff/").status_code == 302
    details = db.session.scalars(select(AuditEvent.details).where(AuditEvent.action == "admin.user_updated")).one()
    assert json.loads(details)["sessions_ended"] is True
    assert "a brand new passphrase" not in details and case_manager.password_hash not in details


def test_admin_changing_their_own_password_stays_signed_in(admin_client, admin):
    resp = submit(admin_client, f"{USERS}/{admin.id}", edit_form(admin, password="my own new passphrase"))
    assert resp.status_code == 302
    assert verify_password(admin.password_hash, "my own new passphrase")
    assert admin_client.get(USERS).status_code == 200


def test_admin_cannot_disable_themself(admin_client, admin):
    resp = toggle(admin_client, admin, False)
    assert resp.status_code == 409
    assert "You cannot disable your own account." in html(resp)
    resp = submit(admin_client, f"{USERS}/{admin.id}", edit_form(admin, enabled=None))
    assert resp.status_code == 409
    assert "You cannot disable your own account." in html(resp)
    assert admin.enabled and admin_client.get(USERS).status_code == 200
    assert f'name="user_id" value="{admin.id}"' not in html(admin_client.get(USERS))


def test_stale_user_edit_is_409_and_keeps_the_typing(admin_client, admin, case_manager):
    url = f"{USERS}/{case_manager.id}"
    loaded = VERSION_RE.search(html(admin_client.get(url))).group(1)
    admin_ops.update_user(admin, case_manager, case_manager.version_id, email=case_manager.email,
                          first_name="Elsewhere", last_name=case_manager.last_name,
                          organization=case_manager.organization, role=case_manager.role)
    db.session.commit()
    token = csrf_token(admin_client, url)
    resp = admin_client.post(url, data={**edit_form(case_manager, first_name="My Typing"),
                                        "version_id": loaded, "csrf_token": token})
    page = html(resp)
    assert resp.status_code == 409
    assert "Someone else changed this record" in page and 'value="My Typing"' in page
    assert case_manager.first_name == "Elsewhere"
    assert VERSION_RE.search(page).group(1) == str(case_manager.version_id)


def test_missing_version_counts_as_stale(admin_client, case_manager):
    token = csrf_token(admin_client, f"{USERS}/{case_manager.id}")
    resp = admin_client.post(f"{USERS}/{case_manager.id}",
                             data={**edit_form(case_manager, first_name="Sneaky"), "csrf_token": token})
    assert resp.status_code == 409 and case_manager.first_name != "Sneaky"
