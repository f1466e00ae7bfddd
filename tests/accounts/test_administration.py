"""Account Administration services: rules, audit events, sessions, seats, optimistic locking."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from portal_app import audit
from portal_app.accounts import administration as admin_ops
from portal_app.accounts import queries
from portal_app.accounts.models import Organization, User
from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.passwords import verify_password
from tests import factories

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def seat_limit(app):
    """Set LICENCE_SEATS for one test; the original comes back afterwards."""
    original = app.config["LICENCE_SEATS"]
    yield lambda total: app.config.__setitem__("LICENCE_SEATS", total)
    app.config["LICENCE_SEATS"] = original


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def org_data(**overrides) -> dict:
    data = {"name": "Hope Counseling", "kind": "partner", "phone": "555-0100", "address": "1 Main St",
            "contact_name": "Rita Reyes", "contact_email": "rita@hope.example", "sharing_enabled": True}
    return {**data, **overrides}


def user_data(org: Organization, **overrides) -> dict:
    data = {"email": "new.person@example.org", "password": "twelve chars long", "first_name": "Nora",
            "middle_name": "", "last_name": "Quinn", "organization": org, "role": "case_manager",
            "enabled": True, "perm_client_portal": True, "perm_messaging": False}
    return {**data, **overrides}


def edit_data(user: User, **overrides) -> dict:
    """update_user arguments that keep everything as it is."""
    data = {"email": user.email, "first_name": user.first_name, "middle_name": user.middle_name,
            "last_name": user.last_name, "organization": user.organization, "role": user.role,
            "enabled": user.enabled, "perm_client_portal": user.perm_client_portal,
            "perm_messaging": user.perm_messaging, "password": None}
    return {**data, **overrides}


# --- organizations ---------------------------------------------------------------------


def test_create_organization_saves_and_audits(admin):
    org = admin_ops.create_organization(admin, **org_data())
    assert org.id and org.kind == "partner" and org.sharing_enabled
    (event,) = events("admin.organization_created")
    assert event.actor_id == admin.id and event.object_id == str(org.id)
    assert json.loads(event.details)["name"] == "Hope Counseling"


@pytest.mark.parametrize("taken", ["Hope Counseling", "hope counseling", "  HOPE COUNSELING "])
def test_organization_name_is_unique_whatever_the_case(admin, taken):
    admin_ops.create_organization(admin, **org_data())
    with pytest.raises(admin_ops.DuplicateOrganizationName) as err:
        admin_ops.create_organization(admin, **org_data(name=taken))
    assert err.value.field == "name"
    named = select(func.count(Organization.id)).where(func.lower(Organization.name) == "hope counseling")
    assert db.session.scalar(named) == 1


def test_sharing_is_refused_for_agencies(admin, agency):
    with pytest.raises(admin_ops.SharingNotForAgencies) as err:
        admin_ops.update_organization(admin, agency, agency.version_id,
                                      **org_data(name=agency.name, kind=None, sharing_enabled=True))
    assert err.value.field == "sharing_enabled"


def test_agency_admins_create_partner_organizations_only(admin):
    """Agencies are the operator's to create (S15)."""
    with pytest.raises(admin_ops.AgenciesByOperator):
        admin_ops.create_organization(admin, **org_data(kind="agency", sharing_enabled=False))


def test_update_organization_records_what_changed(admin, partner_org):
    changes = admin_ops.update_organization(
        admin, partner_org, partner_org.version_id,
        **org_data(name=partner_org.name.upper(), sharing_enabled=False),
    )
    assert partner_org.name == partner_org.name.upper()  # its own name in another case is fine
    assert changes["sharing_enabled"] == [True, False]
    (event,) = events("admin.organization_updated")
    assert "sharing_enabled" in json.loads(event.details)["changes"]


def test_update_organization_without_changes_writes_nothing(admin, partner_org):
    same = {k: getattr(partner_org, k) for k in org_data()}
    assert admin_ops.update_organization(admin, partner_org, partner_org.version_id, **same) == {}
    assert events("admin.organization_updated") == []


def test_update_organization_refuses_a_stale_version(admin, partner_org):
    loaded = partner_org.version_id
    admin_ops.update_organization(admin, partner_org, loaded, **org_data(name="First edit"))
    with pytest.raises(admin_ops.StaleEdit):
        admin_ops.update_organization(admin, partner_org, loaded, **org_data(name="Second edit"))
    assert partner_org.name == "First edit"


def test_kind_never_changes(admin, partner_org, partner_user, agency):
    with pytest.raises(admin_ops.OrganizationKindInUse) as err:
        admin_ops.update_organization(admin, partner_org, partner_org.version_id,
                                      **org_data(name=partner_org.name, kind="agency", sharing_enabled=False))
    assert err.value.field == "kind"
    with pytest.raises(admin_ops.OrganizationKindInUse):
        admin_ops.update_organization(admin, agency, agency.version_id, **org_data(name=agency.name))


# --- user accounts ---------------------------------------------------------------------


def test_create_user_hashes_the_password_and_keeps_it_out_of_the_audit(admin, agency):
    user = admin_ops.create_user(admin, **user_data(agency))
    assert verify_password(user.password_hash, "twelve chars long")
    assert user.role_label == "Case Manager" and user.perm_client_portal
    (event,) = events("admin.user_created")
    assert "twelve chars long" not in event.details and user.password_hash not in event.details
    assert audit.verify_chain().ok


@pytest.mark.parametrize("email", ["super@agency.test", "SUPER@Agency.Test", " super@agency.test "])
def test_email_is_unique_whatever_the_case(admin, agency, supervisor, email):
    with pytest.raises(admin_ops.DuplicateEmail) as err:
        admin_ops.create_user(admin, **user_data(agency, email=email))
    assert err.value.field == "email"


@pytest.mark.parametrize("password, message", [("x" * 11, "at least 12"), ("x" * 129, "at most 128")])
def test_password_length_is_checked(admin, agency, password, message):
    with pytest.raises(admin_ops.InvalidPassword) as err:
        admin_ops.create_user(admin, **user_data(agency, password=password))
    assert err.value.field == "password" and message in str(err.value)


def test_twelve_and_128_characters_are_accepted(admin, agency):
    shortest = admin_ops.create_user(admin, **user_data(agency, password="x" * 12))
    longest = admin_ops.create_user(admin, **user_data(agency, email="b@example.org", password="y" * 128))
    assert verify_password(shortest.password_hash, "x" * 12) and verify_password(longest.password_hash, "y" * 128)


@pytest.mark.parametrize("role, org_fixture", [("partner", "agency"), ("case_manager", "partner_org"),
                                               ("admin", "partner_org")])
def test_role_must_fit_the_organization(request, admin, role, org_fixture):
    org = request.getfixturevalue(org_fixture)
    with pytest.raises(admin_ops.RoleOrganizationMismatch) as err:
        admin_ops.create_user(admin, **user_data(org, role=role))
    assert err.value.field == "role"


def test_partner_role_with_partner_organization(admin, partner_org):
    user = admin_ops.create_user(admin, **user_data(partner_org, role="partner"))
    assert user.site == "partner"


def test_seat_limit_refuses_an_enabled_account_but_not_a_disabled_one(admin, agency, seat_limit):
    seat_limit(queries.seats_used(agency))
    with pytest.raises(admin_ops.SeatLimitReached) as err:
        admin_ops.create_user(admin, **user_data(agency))
    assert str(err.value) == (f"All {queries.seats_total(agency)} licence seats are in use. "
                              "Disable an account or ask for more seats before enabling another.")
    assert err.value.status == 409
    user = admin_ops.create_user(admin, **user_data(agency, enabled=False))
    assert not user.enabled


def test_seats_count_enabled_staff_and_partner_accounts(people, agency):
    assert queries.seats_used(agency) == 4
    factories.user(agency, enabled=False)
    assert queries.seats_used(agency) == 4
    factories.user(agency)
    assert queries.seats_used(agency) == 5
    other = factories.agency("Another Agency")  # another agency's people use its own seats
    factories.user(other)
    factories.user(factories.partner_organization(agency=other), role="partner")
    assert queries.seats_used(agency) == 5 and queries.seats_used(other) == 2


def test_seats_belong_to_the_agency(admin, agency, seat_limit):
    """The operator's number for the agency wins over the deployment default."""
    seat_limit(1)
    agency.licence_seats = 10
    assert queries.seats_total(agency) == 10
    admin_ops.create_user(admin, **user_data(agency))


@pytest.mark.parametrize("change", [{"password": NEW_PASSWORD}, {"role": "supervisor"}, {"enabled": False}])
def test_password_role_or_disable_ends_every_session(admin, case_manager, change):
    epoch = case_manager.session_epoch
    admin_ops.update_user(admin, case_manager, case_manager.version_id, **edit_data(case_manager, **change))
    assert case_manager.session_epoch == epoch + 1
    (event,) = events("admin.user_updated")
    assert json.loads(event.details)["sessions_ended"] is True
    assert NEW_PASSWORD not in event.details and case_manager.password_hash not in event.details


def test_name_change_keeps_sessions_and_blank_password_keeps_the_hash(admin, case_manager):
    epoch, hashed = case_manager.session_epoch, case_manager.password_hash
    changes = admin_ops.update_user(admin, case_manager, case_manager.version_id,
                                    **edit_data(case_manager, first_name="Casey", password=""))
    assert changes == {"first_name": [changes["first_name"][0], "Casey"]}
    assert case_manager.session_epoch == epoch and case_manager.password_hash == hashed


def test_update_user_refuses_a_stale_version(admin, case_manager):
    loaded = case_manager.version_id
    admin_ops.update_user(admin, case_manager, loaded, **edit_data(case_manager, first_name="One"))
    with pytest.raises(admin_ops.StaleEdit) as err:
        admin_ops.update_user(admin, case_manager, loaded, **edit_data(case_manager, first_name="Two"))
    assert err.value.status == 409
    assert case_manager.first_name == "One"


def test_update_user_never_moves_to_another_agency(admin, case_manager, agency):
    """S15: an administrator cannot hand their staff (or take anyone) to another agency."""
    other = factories.agency("Second Agency")
    with pytest.raises(admin_ops.OrganizationOutsideAgency):
        admin_ops.update_user(admin, case_manager, case_manager.version_id,
                              **edit_data(case_manager, organization=other))
    assert case_manager.organization_id == agency.id


def test_services_refuse_another_agencys_accounts(admin, agency):
    """Defence in depth behind the scoped loaders: the services check the organization too."""
    other = factories.agency("Second Agency")
    stranger = factories.user(other)
    with pytest.raises(admin_ops.OrganizationOutsideAgency):
        admin_ops.create_user(admin, **user_data(other))
    with pytest.raises(admin_ops.OrganizationOutsideAgency):
        admin_ops.update_user(admin, stranger, stranger.version_id, **edit_data(stranger, organization=agency))
    with pytest.raises(admin_ops.OrganizationOutsideAgency):
        admin_ops.set_user_enabled(admin, stranger, False)
    with pytest.raises(admin_ops.OrganizationOutsideAgency):
        admin_ops.update_agency_modules(admin, other, other.version_id, kiosk=False)
    with pytest.raises(admin_ops.RoleOrganizationMismatch):
        admin_ops.create_user(admin, **user_data(agency, role="operator"))
    assert stranger.enabled


def test_admin_cannot_disable_or_demote_themself(admin):
    with pytest.raises(admin_ops.CannotDisableSelf):
        admin_ops.update_user(admin, admin, admin.version_id, **edit_data(admin, enabled=False))
    with pytest.raises(admin_ops.CannotChangeOwnRole):
        admin_ops.update_user(admin, admin, admin.version_id, **edit_data(admin, role="supervisor"))
    with pytest.raises(admin_ops.CannotDisableSelf):
        admin_ops.set_user_enabled(admin, admin, False)
    assert admin.enabled and admin.role == "admin"


def test_enabling_through_the_edit_form_needs_a_seat(admin, agency, seat_limit):
    dormant = factories.user(agency, enabled=False)
    seat_limit(queries.seats_used(agency))
    with pytest.raises(admin_ops.SeatLimitReached):
        admin_ops.update_user(admin, dormant, dormant.version_id, **edit_data(dormant, enabled=True))


def test_set_user_enabled_disables_ends_sessions_and_audits(admin, case_manager):
    epoch = case_manager.session_epoch
    assert admin_ops.set_user_enabled(admin, case_manager, False) is True
    assert not case_manager.enabled and case_manager.session_epoch == epoch + 1
    assert len(events("admin.user_disabled")) == 1
    assert admin_ops.set_user_enabled(admin, case_manager, False) is False  # double submit: nothing more
    assert len(events("admin.user_disabled")) == 1
    assert admin_ops.set_user_enabled(admin, case_manager, True) is True
    assert len(events("admin.user_enabled")) == 1


def test_enabling_needs_a_free_seat(admin, agency, seat_limit):
    dormant = factories.user(agency, enabled=False)
    seat_limit(queries.seats_used(agency))
    with pytest.raises(admin_ops.SeatLimitReached):
        admin_ops.set_user_enabled(admin, dormant, True)
    assert not dormant.enabled
    seat_limit(queries.seats_used(agency) + 1)
    assert admin_ops.set_user_enabled(admin, dormant, True)


# --- agency modules --------------------------------------------------------------------


def test_agency_modules_are_switched_and_audited(admin, agency):
    changes = admin_ops.update_agency_modules(admin, agency, agency.version_id,
                                              client_portal=False, messaging=True, kiosk=False, referrals=True)
    assert changes == {"module_client_portal": [True, False], "module_kiosk": [True, False]}
    assert not agency.module_enabled("client_portal") and agency.module_enabled("messaging")
    (event,) = events("admin.modules_updated")
    assert json.loads(event.details)["changes"]["module_kiosk"] == [True, False]


def test_agency_modules_refuse_partners_unknown_modules_and_stale_versions(admin, agency, partner_org):
    with pytest.raises(admin_ops.NotAnAgency):
        admin_ops.update_agency_modules(admin, partner_org, partner_org.version_id, kiosk=True)
    with pytest.raises(TypeError):
        admin_ops.update_agency_modules(admin, agency, agency.version_id, teleport=True)
    with pytest.raises(admin_ops.StaleEdit):
        admin_ops.update_agency_modules(admin, agency, agency.version_id + 1, kiosk=False)
    with pytest.raises(admin_ops.StaleEdit):
        admin_ops.update_agency_modules(admin, agency, None, kiosk=False)


def test_lists_are_ordered(admin, agency, partner_org, people):
    orgs = queries.organizations_for(admin)
    assert orgs.index(agency) < orgs.index(partner_org)
    users = queries.users_for(admin)
    assert set(users) == set(people.values())
    assert [u.last_name.lower() for u in users] == sorted(u.last_name.lower() for u in users)
