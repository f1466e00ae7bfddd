"""The operator renames, disables and re-enables an agency (services, sign-in and sessions)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal_app.accounts import operator as ops
from portal_app.accounts.administration import DuplicateOrganizationName, StaleEdit
from portal_app.accounts.models import User
from portal_app.accounts.services import AgencyDisabled, InvalidCredentials, authenticate
from portal_app.audit import AuditEvent
from portal_app.extensions import db
from tests import factories
from tests.conftest import DEMO_PASSWORD


@pytest.fixture
def operator():
    return factories.user(factories.operators(), role="operator", email="op@deployment.test")


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- rename ---------------------------------------------------------------------------------------

def test_rename_saves_the_new_name_and_audits_old_and_new(operator, agency):
    old = agency.name
    assert ops.rename_agency(operator, agency, agency.version_id, "  Harbor Family Services ") is True
    assert agency.name == "Harbor Family Services"
    (event,) = _events("operator.agency_renamed")
    assert json.loads(event.details)["changes"] == {"name": [old, "Harbor Family Services"]}
    assert event.actor_id == operator.id


def test_rename_to_the_same_name_changes_nothing(operator, agency):
    assert ops.rename_agency(operator, agency, agency.version_id, agency.name) is False
    assert _events("operator.agency_renamed") == []


def test_an_agency_may_change_the_case_of_its_own_name(operator):
    agency = factories.agency("riverside services")
    assert ops.rename_agency(operator, agency, agency.version_id, "Riverside Services") is True


@pytest.mark.parametrize(("name", "message"), [
    ("", "Enter the agency name."),
    ("   ", "Enter the agency name."),
    ("x" * 121, "Use at most 120 characters."),
    ("Bell\x07 Services", "Remove the invisible control characters"),
    ("Tab\tServices", "Remove the invisible control characters"),
    ("Null\x00", "Remove the invisible control characters"),
])
def test_rename_refuses_bad_names_on_the_name_field(operator, agency, name, message):
    old = agency.name
    with pytest.raises(ops.InvalidAgencyName) as refused:
        ops.rename_agency(operator, agency, agency.version_id, name)
    assert refused.value.field == "name" and message in str(refused.value)
    assert refused.value.status == 422 and agency.name == old


@pytest.mark.parametrize("name", ["x" * 121, "Tab\tServices", ""])
def test_a_new_agency_meets_the_same_name_rules(operator, name):
    """Creating and renaming share one rule, so no agency gets a name it could not be renamed to."""
    with pytest.raises(ops.InvalidAgencyName):
        ops.create_agency(operator, name=name, licence_seats=5, admin_email="first@new.test",
                          admin_first_name="Ada", admin_last_name="Admin", admin_password="a long passphrase 42")
    assert db.session.scalar(select(User).where(User.email == "first@new.test")) is None


def test_rename_accepts_exactly_120_characters(operator, agency):
    assert ops.rename_agency(operator, agency, agency.version_id, "y" * 120) is True


@pytest.mark.parametrize("kind", ["agency", "partner"])
def test_rename_refuses_a_name_another_organization_has_whatever_its_case(operator, agency, kind):
    other = factories.agency("Northside Family Services") if kind == "agency" else (
        factories.partner_organization("Northside Family Services"))
    with pytest.raises(DuplicateOrganizationName) as refused:
        ops.rename_agency(operator, agency, agency.version_id, other.name.upper())
    assert refused.value.field == "name"


def test_rename_with_an_old_version_is_a_conflict(operator, agency):
    with pytest.raises(StaleEdit) as refused:
        ops.rename_agency(operator, agency, agency.version_id - 1, "Something New")
    assert refused.value.status == 409


# --- disable and enable -----------------------------------------------------------------------------

def test_disabling_ends_every_staff_session_and_is_audited(operator, people):
    agency = people["admin"].organization
    epochs = {role: people[role].session_epoch for role in ("admin", "supervisor", "case_manager", "partner")}
    assert ops.set_agency_enabled(operator, agency, False) is True
    db.session.expire_all()
    assert agency.enabled is False
    for role in ("admin", "supervisor", "case_manager"):
        assert people[role].session_epoch == epochs[role] + 1
        assert not people[role].is_active
    # The partner organization it manages is another organization: its people keep working.
    assert people["partner"].session_epoch == epochs["partner"] and people["partner"].is_active
    (event,) = _events("operator.agency_disabled")
    assert event.object_id == str(agency.id) and json.loads(event.details)["sessions_ended_for"] == 3


def test_disabling_twice_changes_nothing_the_second_time(operator, agency):
    assert ops.set_agency_enabled(operator, agency, False) is True
    assert ops.set_agency_enabled(operator, agency, False) is False
    assert len(_events("operator.agency_disabled")) == 1


def test_enabling_again_restores_sign_in_without_reviving_old_sessions(operator, people):
    agency, admin = people["admin"].organization, people["admin"]
    before = admin.session_epoch
    ops.set_agency_enabled(operator, agency, False)
    assert ops.set_agency_enabled(operator, agency, True) is True
    db.session.expire_all()
    assert agency.enabled and admin.is_active and admin.session_epoch == before + 1
    assert len(_events("operator.agency_enabled")) == 1
    assert authenticate(admin.email, DEMO_PASSWORD, site="staff") == admin


def test_staff_of_a_disabled_agency_are_told_once_the_password_is_right(operator, people):
    ops.set_agency_enabled(operator, people["admin"].organization, False)
    with pytest.raises(AgencyDisabled):
        authenticate(people["case_manager"].email, DEMO_PASSWORD, site="staff")
    (event,) = _events("auth.login_refused")
    assert json.loads(event.details) == {"reason": "agency_disabled"} and event.object_id == str(people["case_manager"].id)
    assert _events("auth.login") == []
    # A wrong password learns nothing about the agency: the usual refusal, counted as usual.
    with pytest.raises(InvalidCredentials):
        authenticate(people["case_manager"].email, "not the right password", site="staff")
    assert people["case_manager"].failed_logins == 1


def test_partner_users_of_an_organization_it_manages_still_sign_in(operator, people):
    ops.set_agency_enabled(operator, people["admin"].organization, False)
    assert authenticate(people["partner"].email, DEMO_PASSWORD, site="partner") == people["partner"]


def test_the_agency_list_shows_each_agencys_state(operator, agency):
    other = factories.agency("Zeta Services")
    ops.set_agency_enabled(operator, other, False)
    states = {row.agency.name: row.agency.enabled for row in ops.list_agencies(operator)}
    assert states == {agency.name: True, "Zeta Services": False}
