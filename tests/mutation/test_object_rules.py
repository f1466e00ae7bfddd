"""S6: each object rule's truth table (agency, ownership, revocation), on stand-in actors and objects."""
from __future__ import annotations

from types import SimpleNamespace as NS

import pytest

from portal_app.accounts.models import OrganizationKind, User
from portal_app.accounts.policy import (
    _own_account,
    manages_organization,
    may_change_agency_settings,
    may_manage_organization,
    may_manage_user,
    may_open_partner_home,
    may_open_staff_home,
    may_run_agencies,
)
from portal_app.clients.policy import in_own_agency, may_edit_client, may_view_client
from portal_app.clock import utcnow
from portal_app.portal_access.models import ClientAccess
from portal_app.portal_access.policy import (
    may_manage_portal,
    may_manage_portal_account,
    may_open_portal_home,
    may_use_kiosk,
    may_use_portal_messages,
)

ADMIN = NS(is_admin=True, is_operator=False, organization_id=1)


def _org(org_id, kind=OrganizationKind.AGENCY, managing=None) -> NS:
    return NS(id=org_id, kind=kind, managing_agency_id=managing, is_agency=kind == OrganizationKind.AGENCY)


@pytest.mark.parametrize(("actor", "org", "expected"), [
    (ADMIN, _org(1), True),
    (ADMIN, _org(5, OrganizationKind.PARTNER, managing=1), True),
    (ADMIN, _org(5, OrganizationKind.PARTNER, managing=2), False),
    (ADMIN, _org(2, OrganizationKind.AGENCY, managing=1), False),  # only partner organizations are managed
    (NS(is_admin=False, organization_id=1), _org(1), False),
    (NS(is_admin=True, organization_id=None), _org(5, OrganizationKind.PARTNER, managing=None), False),
])
def test_an_admin_manages_the_own_agency_and_its_partners(actor, org, expected):
    assert manages_organization(actor, org) is expected
    assert may_manage_organization(actor, org) is expected
    assert may_manage_user(actor, NS(organization=org)) is expected


def test_lists_have_no_object():
    assert may_manage_organization(ADMIN, None) and may_manage_user(ADMIN, None)
    assert may_change_agency_settings(ADMIN, None)


@pytest.mark.parametrize(("actor", "agency", "expected"), [
    (ADMIN, _org(1), True), (ADMIN, _org(2), False), (ADMIN, _org(1, OrganizationKind.PARTNER), False),
    (NS(is_admin=False, organization_id=1), _org(1), False),
])
def test_agency_settings_are_the_admins_own_agency(actor, agency, expected):
    assert may_change_agency_settings(actor, agency) is expected


@pytest.mark.parametrize(("actor", "agency", "expected"), [
    (NS(is_operator=True), None, True), (NS(is_operator=True), _org(3), True),
    (NS(is_operator=True), _org(3, OrganizationKind.PARTNER), False), (NS(is_operator=False), None, False),
])
def test_the_operator_runs_agencies_only(actor, agency, expected):
    assert may_run_agencies(actor, agency) is expected


def test_home_pages_take_no_object_and_accounts_are_ones_own():
    assert may_open_staff_home(ADMIN, None) and not may_open_staff_home(ADMIN, object())
    assert may_open_partner_home(ADMIN, None) and not may_open_partner_home(ADMIN, object())
    me = User(id=4)
    assert _own_account(me, None) and _own_account(me, User(id=4))
    assert not _own_account(me, User(id=5)) and not _own_account(me, NS(id=4))


@pytest.mark.parametrize(("actor", "client_org", "expected"), [
    (NS(is_staff=True, organization_id=1), 1, True), (NS(is_staff=True, organization_id=1), 2, False),
    (NS(is_staff=False, organization_id=1), 1, False), (NS(organization_id=1), 1, False),
])
def test_client_records_are_the_own_agencys(actor, client_org, expected):
    client = NS(organization_id=client_org)
    assert in_own_agency(actor, client) is expected
    assert may_view_client(actor, client) is expected and may_edit_client(actor, client) is expected
    assert may_view_client(actor, None) and may_edit_client(actor, None)


@pytest.mark.parametrize(("permission", "module_on", "client_org", "expected"), [
    (True, True, 7, True), (True, True, 8, False), (False, True, 7, False), (True, False, 7, False),
    (True, True, None, True),
])
def test_the_portal_manager_needs_the_permission_the_module_and_the_clients_agency(permission, module_on,
                                                                                   client_org, expected):
    actor = NS(perm_client_portal=permission, organization_id=7,
               organization=NS(module_client_portal=module_on))
    client = None if client_org is None else NS(organization_id=client_org)
    assert may_manage_portal(actor, client) is expected


@pytest.mark.parametrize("rule", [may_open_portal_home, may_use_portal_messages])
def test_portal_pages_act_through_ones_own_active_access(rule):
    me = NS(id=3)
    assert rule(me, None)
    assert rule(me, ClientAccess(account_id=3, revoked_at=None))
    assert not rule(me, ClientAccess(account_id=4, revoked_at=None))
    assert not rule(me, ClientAccess(account_id=3, revoked_at=utcnow()))
    assert not rule(me, NS(account_id=3, revoked_at=None))  # not an access


def test_portal_account_and_kiosk_rules():
    me, other = NS(id=1), NS(id=1)
    assert may_manage_portal_account(me, None) and may_manage_portal_account(me, me)
    assert not may_manage_portal_account(me, other)
    assert may_use_kiosk(me, None) and not may_use_kiosk(me, object())


def _sharing_world(monkeypatch, shared: bool):
    """A staff member of agency 1, a partner, a client of agency 1, a share, a third-party contact."""
    from portal_app.clients.models import Client
    from portal_app.sharing import policy as sharing
    from portal_app.sharing.models import ClientShare, Contact, ContactSource

    monkeypatch.setattr(sharing, "active_share", lambda actor, client_id: object() if shared else None)
    client = Client(id=9, organization_id=1)
    staff = NS(is_staff=True, enabled=True, organization_id=1, role="case_manager")
    stranger = NS(is_staff=True, enabled=True, organization_id=2, role="case_manager")
    partner = NS(is_staff=False, enabled=True, organization_id=5, role="partner")
    contact = Contact(client=client, client_id=9, organization_id=5, source=ContactSource.THIRD_PARTY,
                      reviewed_at=None)
    return sharing, client, staff, stranger, partner, ClientShare(client=client), contact


def test_sharing_and_contact_rules_follow_the_clients_agency(monkeypatch):
    sharing, client, staff, stranger, _, share, contact = _sharing_world(monkeypatch, shared=True)
    assert sharing.may_manage_sharing(staff, None) and sharing.may_manage_contacts(staff, None)
    assert sharing.may_manage_sharing(staff, client) and sharing.may_manage_sharing(staff, share)
    assert not sharing.may_manage_sharing(staff, contact)  # contacts are the contacts rule's
    assert not sharing.may_manage_sharing(stranger, client) and not sharing.may_manage_sharing(staff, object())
    assert sharing.may_manage_contacts(staff, client) and sharing.may_manage_contacts(staff, contact)
    assert not sharing.may_manage_contacts(staff, share)  # shares are the sharing rule's
    assert not sharing.may_manage_contacts(stranger, contact) and not sharing.may_manage_contacts(staff, object())


@pytest.mark.parametrize("shared", [True, False])
def test_partners_reach_a_client_only_through_an_active_share(monkeypatch, shared):
    sharing, client, _, _, partner, share, contact = _sharing_world(monkeypatch, shared)
    assert sharing.may_see_shared_client(partner, None) and sharing.may_record_partner_contact(partner, None)
    assert sharing.may_see_shared_client(partner, client) is shared
    assert not sharing.may_see_shared_client(partner, share)
    assert sharing.may_record_partner_contact(partner, client) is shared
    assert contact.is_third_party and sharing.may_record_partner_contact(partner, contact) is shared
    assert not sharing.may_record_partner_contact(partner, share)
