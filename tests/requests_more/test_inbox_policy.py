"""STAFF_INBOX's object rule: with Messaging, any conversation of the agency (the scope query narrows it);
without it, only a PORTAL Inbox item addressed to oneself; never another agency's, never a partner's."""
from __future__ import annotations

from portal_app.authz import Permission, can
from portal_app.extensions import db
from portal_app.messaging import items
from portal_app.messaging.models import Conversation
from tests import factories
from tests.requests.helpers import portal_client

P = Permission.STAFF_INBOX


def test_the_inbox_rule(agency, case_manager, supervisor, partner_user):
    client, account, _access = portal_client(agency)
    supervisor.perm_messaging, case_manager.perm_messaging = True, False
    plain = Conversation(client_id=client.id, staff_id=case_manager.id, subject="Plain")  # not an item
    db.session.add(plain)
    db.session.flush()
    assert not can(case_manager, P)  # no item yet: no Inbox
    assert not can(case_manager, P, plain)
    [item] = items.tell_staff(items.ROI, 1, client_id=client.id, staff_ids=[case_manager.id], account=account,
                              subject="Release of Information revoked", text="I revoked it.", notify=False)
    assert can(case_manager, P) and can(case_manager, P, item)
    assert not can(case_manager, P, plain)  # other conversations stay out of reach without Messaging
    assert can(supervisor, P, item) and can(supervisor, P, plain)  # Messaging: the agency's (scope query narrows)

    colleague = factories.user(agency, role="case_manager")
    assert not can(colleague, P, item)  # addressed to someone else
    stranger = factories.user(factories.agency(), role="supervisor", perm_messaging=True)
    assert not can(stranger, P, item) and not can(stranger, P, plain)
    assert not can(partner_user, P) and not can(partner_user, P, item)
    case_manager.enabled = False
    assert not can(case_manager, P, item)
