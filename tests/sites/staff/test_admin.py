"""Account Administration pages on the staff site: access, forms end to end, refusals, sessions."""
from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal_app.accounts import administration as admin_ops
from portal_app.accounts.models import Organization, User
from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.passwords import verify_password
from tests import factories
from tests.conftest import Auth, csrf_token

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


# --- access ---------------------------------------------------------------------------


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


# --- organizations ----------------------------------------------------------------------


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


# --- user accounts ----------------------------------------------------------------------


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


# --- agency settings ---------------------------------------------------------------------


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


# --- fuzzing (R4) ------------------------------------------------------------------------

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
