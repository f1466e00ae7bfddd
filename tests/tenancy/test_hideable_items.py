"""The Client Portal Manager's "items to hide" list only the client's own items (issue 9 mutants)."""
from __future__ import annotations

import pytest

from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.messaging.models import Conversation
from portal_app.portal_access import errors, hiding
from portal_app.portal_access.visibility import hideable_items
from tests import factories as sf
from tests import factories as pf


@pytest.fixture
def two_clients(people):
    """Two clients of the agency, each with a representative, a second account and a conversation."""
    rows = []
    for n in range(2):
        client = sf.client(people["admin"].organization)
        rep = pf.access(pf.account(f"rep{n}"), client, label="father")
        other = pf.access(pf.account(f"other{n}"), client, label="mother")
        conversation = Conversation(client=client, staff=people["case_manager"], subject=f"Talk {n}")
        db.session.add(conversation)
        db.session.flush()
        rows.append((client, rep, other, conversation))
    return rows


def test_items_to_hide_are_the_clients_own(two_clients):
    """Before: no test noticed when the client condition was removed from the "items to hide" queries."""
    (client, rep, other, conversation), (_, rep_2, other_2, conversation_2) = two_clients
    items = {(kind, item_id) for kind, item_id, _ in hideable_items(client, rep)}
    assert ("client_access", other.id) in items and ("conversation", conversation.id) in items
    assert ("client_access", rep.id) not in items  # never one's own access
    assert ("client_access", other_2.id) not in items and ("client_access", rep_2.id) not in items
    assert ("conversation", conversation_2.id) not in items


def test_another_clients_items_and_revoked_accesses_cannot_be_hidden(people, two_clients):
    (client, rep, other, _), (_, _, other_2, conversation_2) = two_clients
    for kind, item_id in (("conversation", conversation_2.id), ("client_access", other_2.id)):
        with pytest.raises(errors.UnknownItem):
            hiding.hide_item(people["case_manager"], rep, kind, item_id)
    other.revoked_at = utcnow()
    with pytest.raises(errors.UnknownItem):
        hiding.hide_item(people["case_manager"], rep, "client_access", other.id)
    assert ("client_access", other.id) not in {(k, i) for k, i, _ in hideable_items(client, rep)}
