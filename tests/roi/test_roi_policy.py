"""Object rules of the ROI permissions: staff of the client's agency only; on the portal, the account's own
active access to that client (revoking also needs the right to sign, or being the client)."""
from __future__ import annotations

from portal_app.authz import Permission, can
from portal_app.clock import utcnow
from portal_app.roi.policy import may_revoke_on_portal
from tests import factories as f
from tests.roi.helpers import signed_roi


def test_staff_rule_is_scoped_to_the_agency(people, partner_org):
    client = f.client(people["admin"].organization)
    roi = signed_roi(people["case_manager"], client, [partner_org])
    other = f.agency("Other agency")
    stranger = f.user(other, role="admin", email="a@other.test")
    for role in ("admin", "supervisor", "case_manager"):
        assert can(people[role], Permission.STAFF_ROI, roi) and can(people[role], Permission.STAFF_ROI, client)
    assert not can(stranger, Permission.STAFF_ROI, roi) and not can(stranger, Permission.STAFF_ROI, client)
    assert not can(people["partner"], Permission.STAFF_ROI, roi)
    assert not can(people["case_manager"], Permission.STAFF_ROI, object())


def test_portal_rule_needs_the_accounts_own_active_access(people, partner_org):
    client = f.client(people["admin"].organization)
    sibling = f.client(people["admin"].organization)
    roi = signed_roi(people["case_manager"], client, [partner_org])
    mine = f.access(f.account("own"), client, "self")
    other_account = f.account("other")
    sibling_access = f.access(mine.account, sibling, "self")
    assert can(mine.account, Permission.PORTAL_ROI, (mine, roi))
    assert not can(other_account, Permission.PORTAL_ROI, (mine, roi))  # someone else's access
    assert not can(mine.account, Permission.PORTAL_ROI, (sibling_access, roi))  # another client's ROI
    assert not can(people["case_manager"], Permission.PORTAL_ROI, (mine, roi))
    mine.revoked_at = utcnow()
    assert not can(mine.account, Permission.PORTAL_ROI, (mine, roi))


def test_who_may_revoke_on_the_portal(people):
    client = f.client(people["admin"].organization)
    assert may_revoke_on_portal(f.access(f.account(), client, "self"))
    assert may_revoke_on_portal(f.access(f.account(), client, label="mother", can_sign=True))
    assert not may_revoke_on_portal(f.access(f.account(), client, label="aunt", can_sign=False))
