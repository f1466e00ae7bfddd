"""S6: can() against the grant table for every actor kind, disabled and anonymous actors, object rules.

The matrices sign each actor in on its own site only; these compare can() for every kind of actor with an
explicit table, so a grant given to the wrong kind (or taken away) fails here.
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from portal_app import authz
from portal_app.authz import Permission, can
from portal_app.messaging.policy import may_message

STAFF = {"admin", "supervisor", "case_manager"}
EXPECTED: dict[str, set[str]] = {
    "staff:home:view": STAFF | {"operator"}, "staff:account:manage": STAFF | {"operator"},
    "staff:organizations:manage": {"admin"}, "staff:users:manage": {"admin"}, "staff:settings:manage": {"admin"},
    "staff:clients:view": STAFF, "staff:clients:edit": STAFF, "staff:sharing:manage": STAFF,
    "staff:contacts:manage": STAFF, "staff:portal:manage": STAFF, "staff:messaging:use": STAFF,
    "partner:home:view": {"partner"}, "partner:clients:view": {"partner"}, "partner:contacts:manage": {"partner"},
    "partner:account:manage": {"partner"}, "portal:home:view": {"portal"}, "portal:messages:use": {"portal"},
    "portal:account:manage": {"portal"}, "kiosk:home:view": {"kiosk"}, "staff:agencies:manage": {"operator"},
    "staff:forms:manage": {"admin"}, "staff:documents:manage": STAFF, "staff:programs:manage": {"admin"},
    "staff:directory:search": STAFF, "partner:programs:manage": {"partner"}, "portal:documents:use": {"portal"},
    "staff:goals:manage": STAFF, "portal:goals:view": {"portal"},
    "staff:roi:manage": STAFF, "portal:roi:use": {"portal"},
    "staff:referrals:manage": STAFF, "partner:referrals:manage": {"partner"}, "portal:referrals:use": {"portal"},
    "staff:appointments:manage": STAFF, "staff:availability:manage": STAFF, "portal:appointments:use": {"portal"},
    "staff:requests:manage": STAFF, "staff:document_categories:manage": {"admin"},
    "requests:result:view": STAFF | {"partner"}, "portal:requests:use": {"portal"},
    "staff:kiosks:manage": {"admin"}, "staff:kiosk:hand_off": STAFF, "kiosk:forms:fill": {"kiosk"},
    "staff:inbox:view": STAFF,
}
KINDS = sorted(STAFF | {"operator", "partner", "portal", "kiosk", "nobody"})


def _actor(grant: str, *, enabled: bool = True, as_kind: bool = False, signed_in: bool = True) -> SimpleNamespace:
    """A stand-in actor: users carry a role, portal accounts and kiosks a kind."""
    if as_kind:
        return SimpleNamespace(is_authenticated=signed_in, role=None, kind=grant, enabled=enabled)
    return SimpleNamespace(is_authenticated=signed_in, role=grant, enabled=enabled)


@pytest.fixture
def no_object_rules(monkeypatch):
    """The grant table alone (object rules are tested below and by the domain tests)."""
    monkeypatch.setattr(authz, "_OBJECT_RULES", {})


def test_every_permission_is_in_the_table():
    assert {p.value for p in Permission} == set(EXPECTED)


@pytest.mark.parametrize("permission", list(Permission))
def test_can_matches_the_grant_table_for_every_kind(permission, no_object_rules):
    allowed = {kind for kind in KINDS if can(_actor(kind, as_kind=kind in {"portal", "kiosk"}), permission)}
    assert allowed == EXPECTED[permission.value]


@pytest.mark.parametrize("permission", list(Permission))
def test_disabled_and_signed_out_actors_may_do_nothing(permission, no_object_rules):
    (grant,) = sorted(EXPECTED[permission.value])[:1]
    kind = grant in {"portal", "kiosk"}
    assert can(_actor(grant, as_kind=kind), permission)
    assert not can(_actor(grant, as_kind=kind, enabled=False), permission)
    assert not can(_actor(grant, as_kind=kind, signed_in=False), permission)
    assert not can(None, permission)


def test_the_object_rule_decides_after_the_grant(monkeypatch):
    seen = []
    monkeypatch.setattr(authz, "_OBJECT_RULES", {Permission.STAFF_CLIENTS: lambda a, o: seen.append(o) or o == 1})
    assert can(_actor("admin"), Permission.STAFF_CLIENTS, 1)
    assert not can(_actor("admin"), Permission.STAFF_CLIENTS, 2)
    assert not can(_actor("partner"), Permission.STAFF_CLIENTS, 1)  # no grant: the rule is not asked
    assert not can(_actor("admin", enabled=False), Permission.STAFF_CLIENTS, 1)
    assert seen == [1, 2]


@pytest.mark.parametrize(("perm_messaging", "module_on", "client_org", "expected"), [
    (True, True, 7, True), (True, True, 8, False), (False, True, 7, False), (True, False, 7, False),
    (True, True, None, True),
])
def test_messaging_needs_the_permission_the_module_and_the_clients_agency(perm_messaging, module_on, client_org,
                                                                         expected):
    actor = SimpleNamespace(perm_messaging=perm_messaging, organization_id=7,
                            organization=SimpleNamespace(module_messaging=module_on))
    client = None if client_org is None else SimpleNamespace(organization_id=client_org)
    assert may_message(actor, client) is expected
