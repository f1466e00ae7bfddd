"""Per-representative visibility: what staff read in "items to hide", and which ids may be hidden."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.messaging.models import ITEM_TYPE, Conversation
from portal_app.portal_access import errors, hiding
from portal_app.portal_access.models import HiddenItem
from portal_app.portal_access.policy import visible_to
from portal_app.portal_access.visibility import hideable_items
from tests import factories as sf
from tests import factories as pf


@pytest.fixture
def family(people):
    """A client with an own access and three representatives (one without a label)."""
    client = sf.client(people["admin"].organization)
    own = pf.access(pf.account("self0"), client, relationship="self")
    father = pf.access(pf.account("dad0"), client, label="father")
    mother = pf.access(pf.account("mum0"), client, label="mother")
    pf.access(pf.account("aunt0"), client)  # no label given
    return client, own, father, mother


def test_staff_read_who_each_access_is(family):
    client, own, father, mother = family
    described = {item_id: text for kind, item_id, text in hideable_items(client, father) if kind == "client_access"}
    name = client.display_name  # people by who they are to the client, not by username (issue 10, item 8)
    assert sorted(described.values()) == sorted([f"Mother of {name} can act for this client",
                                                 f"Representative of {name} can act for this client",
                                                 f"{name} (the client) can act for this client"])
    assert described[own.id] == f"{name} (the client) can act for this client"
    assert described[mother.id].startswith("Mother of ")


def test_another_access_of_the_client_can_be_hidden_but_not_an_unknown_id(people, family):
    _, _, father, mother = family
    assert hiding.hide_item(people["case_manager"], father, "client_access", mother.id)
    with pytest.raises(errors.UnknownItem):
        hiding.hide_item(people["case_manager"], father, "client_access", mother.id + 1000)


def test_a_hidden_item_hides_only_that_item_of_that_kind(people, family):
    client, _, father, mother = family
    talks = []
    for n in range(3):
        talks.append(Conversation(client=client, staff=people["case_manager"], subject=f"Talk {n}"))
        db.session.add(talks[-1])
    db.session.flush()
    hiding.hide_item(people["case_manager"], father, ITEM_TYPE, talks[0].id)
    # A row of another kind that happens to carry the id of a conversation hides no conversation.
    db.session.add(HiddenItem(access_id=father.id, item_type="client_access", item_id=talks[1].id,
                              hidden_by_id=people["case_manager"].id, hidden_at=utcnow()))
    db.session.flush()

    def seen_by(access):
        query = select(Conversation.id).where(Conversation.client_id == client.id,
                                              visible_to(access, ITEM_TYPE, Conversation.id))
        return set(db.session.scalars(query))

    assert seen_by(father) == {talks[1].id, talks[2].id}
    assert seen_by(mother) == {t.id for t in talks}
