"""Who may see and change a client record: staff of the owning agency only; others get 404."""
from __future__ import annotations

import pytest

from portal_app.authz import Permission, can
from portal_app.clients.queries import get_client_for_staff
from portal_app.errors import NotFound
from tests import factories
from tests.factories import clients as client_factories

PERMISSIONS = (Permission.STAFF_CLIENTS, Permission.STAFF_CLIENT_EDIT)


@pytest.mark.parametrize("permission", PERMISSIONS)
@pytest.mark.parametrize(("role", "allowed"), [("admin", True), ("supervisor", True), ("case_manager", True),
                                               ("partner", False)])
def test_own_agency_staff_only(people, agency, permission, role, allowed):
    client = client_factories.client(agency)
    assert can(people[role], permission, client) is allowed
    assert can(people[role], permission) is allowed  # the list and Add client: no object yet


@pytest.mark.parametrize("permission", PERMISSIONS)
@pytest.mark.parametrize("role", ["admin", "supervisor", "case_manager"])
def test_staff_of_another_agency_may_not(agency, permission, role):
    client = client_factories.client(agency)
    outsider = factories.user(factories.agency(), role=role)
    assert can(outsider, permission) is True
    assert can(outsider, permission, client) is False


def test_disabled_staff_may_not(agency):
    client = client_factories.client(agency)
    dormant = factories.user(agency, role="case_manager", enabled=False)
    assert not can(dormant, Permission.STAFF_CLIENTS, client)


def test_scoped_loader_answers_404_outside_the_agency(case_manager, agency):
    client = client_factories.client(agency)
    assert get_client_for_staff(case_manager, client.id) is client
    assert get_client_for_staff(case_manager, client.id, Permission.STAFF_CLIENT_EDIT) is client
    outsider = factories.user(factories.agency(), role="admin")
    with pytest.raises(NotFound):
        get_client_for_staff(outsider, client.id)
    with pytest.raises(NotFound):
        get_client_for_staff(case_manager, client.id + 10_000)


def test_partner_gets_404_from_the_staff_loader(partner_user, agency):
    client = client_factories.client(agency)
    with pytest.raises(NotFound):
        get_client_for_staff(partner_user, client.id)
