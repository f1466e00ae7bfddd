"""The kiosk's object rules: one agency's administrators, staff and tablets, each within their own scope."""
from __future__ import annotations

from types import SimpleNamespace

from portal_app.authz import Permission, can
from portal_app.kiosk.policy import may_fill_on_kiosk, may_hand_off, may_manage_kiosks
from tests import factories
from tests.kiosk.kiosk_helpers import handoff, kiosk, location


def test_only_the_agency_admin_manages_its_locations_and_kiosks(admin, case_manager):
    place = location(admin)
    other_admin = factories.user(factories.agency("Elsewhere"), role="admin", email="a@elsewhere.test")
    assert may_manage_kiosks(admin, None) and may_manage_kiosks(admin, place)
    assert not may_manage_kiosks(other_admin, place) and may_manage_kiosks(other_admin, None)
    assert not may_manage_kiosks(case_manager, None) and not can(case_manager, Permission.ADMIN_KIOSKS, place)


def test_staff_hand_off_only_their_agency_clients(admin, case_manager, partner_user):
    person = factories.client(admin.organization)
    stranger = factories.client(factories.agency("Elsewhere"))
    assert may_hand_off(case_manager, person) and not may_hand_off(case_manager, stranger)
    assert not may_hand_off(partner_user, person) and not may_hand_off(partner_user, None)
    assert not can(partner_user, Permission.STAFF_KIOSK, person)


def test_a_tablet_fills_only_hand_offs_for_it_or_its_location(admin, case_manager):
    here, there = location(admin, "Here"), location(admin, "There")
    mine, other = kiosk(admin, "Mine", here), kiosk(admin, "Other", here)
    for device in (mine, other):
        device.secret_hash = f"{device.id:064d}"
    person = factories.client(admin.organization)
    for_any = handoff(admin, case_manager, person, place=here)
    assert may_fill_on_kiosk(mine, for_any) and may_fill_on_kiosk(mine, None)
    for_other = handoff(admin, case_manager, person, device=other, name="Consent for services")
    assert not may_fill_on_kiosk(mine, for_other) and may_fill_on_kiosk(other, for_other)
    elsewhere = handoff(admin, case_manager, person, place=there, name="Release of information")
    assert not may_fill_on_kiosk(mine, elsewhere)
    assert not may_fill_on_kiosk(mine, person)  # not a hand-off
    mine.secret_hash = None  # revoked
    assert not may_fill_on_kiosk(mine, for_any)
    assert not may_fill_on_kiosk(SimpleNamespace(kind="portal", enabled=True), for_any)
