"""can() for every kind of actor against ROLE_GRANTS, across sites, and every permission's object rule."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from portal_app.authz import _OBJECT_RULES, ROLE_GRANTS, Permission, can
from portal_app.extensions import db
from tests import factories
from tests import factories as sf
from tests import factories as pf

KINDS = ("admin", "supervisor", "case_manager", "partner", "portal", "kiosk", "operator", "disabled")


@pytest.fixture
def actors(people):
    """One actor of each kind; staff hold both module permissions and the agency has its modules on, so only the
    grant table decides."""
    for role in ("admin", "supervisor", "case_manager"):
        people[role].perm_messaging = people[role].perm_client_portal = True
    disabled = factories.user(people["admin"].organization, role="admin", enabled=False,
                              perm_messaging=True, perm_client_portal=True)
    agency = people["admin"].organization  # its Kiosk module is on (factories), as for a paired tablet of it
    kiosk = SimpleNamespace(is_authenticated=True, kind="kiosk", enabled=True, organization=agency,
                            organization_id=agency.id)
    operator = factories.user(factories.operators(), role="operator")
    db.session.flush()
    return {**people, "portal": pf.account("grants.portal"), "kiosk": kiosk, "operator": operator,
            "disabled": disabled}


def test_every_permission_has_an_object_rule():
    """Issue 9: every permission gets its object rule in its domain's policy.py."""
    assert set(Permission) - set(_OBJECT_RULES) == set()


@pytest.mark.parametrize("permission", list(Permission))
def test_can_matches_the_grant_table_for_every_actor_kind(actors, permission):
    """Grants across sites: nobody holds a permission of another site or role; a disabled account none."""
    for kind in KINDS:
        expected = kind in ROLE_GRANTS[permission] and kind != "disabled"
        assert can(actors[kind], permission) is expected, (kind, permission)


def test_disabled_admin_holds_nothing_even_with_an_own_object(actors):
    disabled = actors["disabled"]
    assert not can(disabled, Permission.ADMIN_USERS, disabled)
    assert not can(disabled, Permission.STAFF_ACCOUNT, disabled)


def test_anonymous_holds_nothing():
    nobody = SimpleNamespace(is_authenticated=False)
    assert not any(can(nobody, p) for p in Permission)


@pytest.fixture
def two_agencies(actors):
    """Agency A (the people's) and agency B with its own admin and case manager."""
    agency_b = factories.agency("Agency B")
    b = {"admin": factories.user(agency_b, role="admin", perm_messaging=True, perm_client_portal=True),
         "case_manager": factories.user(agency_b, perm_messaging=True, perm_client_portal=True)}
    return actors, b


def test_object_rules_keep_agencies_apart(two_agencies):
    a, b = two_agencies
    agency_a = a["admin"].organization
    client = sf.client(agency_a)
    contact = sf.contact(client, a["partner"])
    share = sf.share(client, a["partner"].organization, a["admin"])
    rules = [
        (Permission.STAFF_CLIENTS, client), (Permission.STAFF_CLIENT_EDIT, client),
        (Permission.STAFF_SHARING, client), (Permission.STAFF_SHARING, share),
        (Permission.STAFF_CONTACTS, client), (Permission.STAFF_CONTACTS, contact),
        (Permission.STAFF_MESSAGING, client), (Permission.STAFF_PORTAL_MANAGER, client),
        (Permission.ADMIN_USERS, a["case_manager"]), (Permission.ADMIN_ORGANIZATIONS, agency_a),
        (Permission.ADMIN_ORGANIZATIONS, a["partner"].organization), (Permission.ADMIN_SETTINGS, agency_a),
    ]
    for permission, obj in rules:
        assert can(a["admin"], permission, obj), (permission, obj)
        assert not can(b["admin"], permission, obj), (permission, obj)
        assert not can(a["operator"], permission, obj), (permission, obj)
    assert not can(b["case_manager"], Permission.STAFF_CONTACTS, contact)


def test_partner_rules_follow_the_active_share(two_agencies):
    a, _ = two_agencies
    partner = a["partner"]
    client = sf.client(a["admin"].organization)
    assert not can(partner, Permission.PARTNER_CLIENTS, client)
    share = sf.share(client, partner.organization, a["admin"])
    contact = sf.contact(client, partner)
    assert can(partner, Permission.PARTNER_CLIENTS, client)
    assert can(partner, Permission.PARTNER_CONTACTS, contact)
    share.revoked_at = share.shared_at
    assert not can(partner, Permission.PARTNER_CLIENTS, client)
    assert not can(partner, Permission.PARTNER_CONTACTS, contact)


def test_own_account_rules(actors):
    admin, other = actors["admin"], actors["case_manager"]
    assert can(admin, Permission.STAFF_ACCOUNT, admin) and not can(admin, Permission.STAFF_ACCOUNT, other)
    assert can(actors["operator"], Permission.OPERATOR_AGENCIES, admin.organization)
    assert not can(actors["operator"], Permission.OPERATOR_AGENCIES, actors["partner"].organization)
