"""Sharing policy: staff of the owning agency; partners through an active share, own contacts until reviewed."""
from __future__ import annotations

import pytest

from portal_app.clock import utcnow
from portal_app.authz import Permission, can
from portal_app.sharing import policy, services
from tests import factories
from tests import factories as sf


@pytest.mark.parametrize("role", ["admin", "supervisor", "case_manager"])
def test_staff_see_clients_of_their_own_agency_only(people, a_client, role):
    actor = people[role]
    assert policy.staff_may_see_client(actor, a_client)
    elsewhere = sf.client(factories.agency())
    assert not policy.staff_may_see_client(actor, elsewhere)


def test_partners_and_disabled_staff_do_not_see_clients(people, a_client):
    assert not policy.staff_may_see_client(people["partner"], a_client)
    people["case_manager"].enabled = False
    assert not policy.staff_may_see_client(people["case_manager"], a_client)


def test_active_share_needs_an_unrevoked_share_and_sharing_enabled(case_manager, partner_user, partner_org, a_client):
    assert policy.active_share(partner_user, a_client.id) is None
    share = sf.share(a_client, partner_org, case_manager)
    assert policy.active_share(partner_user, a_client.id) == share
    assert policy.active_share(case_manager, a_client.id) is None  # staff do not see through shares
    partner_org.sharing_enabled = False
    assert policy.active_share(partner_user, a_client.id) is None
    partner_org.sharing_enabled = True
    share.revoked_at, share.revoked_by_id = utcnow(), case_manager.id
    assert policy.active_share(partner_user, a_client.id) is None


def test_partner_edits_own_unreviewed_contacts_only(partner_user, case_manager, supervisor, a_client):
    own = sf.contact(a_client, partner_user)
    assert policy.partner_may_edit_contact(partner_user, own)
    other_org = factories.user(factories.partner_organization(), role="partner")
    assert not policy.partner_may_edit_contact(other_org, own)
    assert not policy.partner_may_edit_contact(case_manager, own)
    assert not policy.partner_may_edit_contact(partner_user, sf.contact(a_client, case_manager))
    reviewed = sf.contact(a_client, partner_user, reviewed_by=supervisor)
    assert not policy.partner_may_edit_contact(partner_user, reviewed)


def test_staff_review_third_party_contacts_of_their_agency(partner_user, case_manager, a_client):
    """What Mark as Reviewed checks: the contacts permission on the contact, then the service's rule."""
    third_party = sf.contact(a_client, partner_user)
    assert can(case_manager, Permission.STAFF_CONTACTS, third_party)
    assert services.mark_contact_reviewed(case_manager, third_party)
    with pytest.raises(services.SharingError, match="Only contacts recorded by a partner organization"):
        services.mark_contact_reviewed(case_manager, sf.contact(a_client, case_manager))
    stranger = factories.user(factories.agency(), role="admin")
    assert not can(stranger, Permission.STAFF_CONTACTS, third_party)
