"""Per-representative visibility: what staff read in "items to hide", and which ids may be hidden."""
from __future__ import annotations

import pytest

from portal_app.portal_access import services as portal
from portal_app.portal_access.visibility import hideable_items
from tests.sharing import factories as sf
from tests.sites.portal import factories as pf


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
    assert sorted(described.values()) == ["aunt0 (representative) can act for this client",
                                          "mum0 (mother) can act for this client",
                                          "self0 (the client) can act for this client"]
    assert described[own.id].startswith("self0") and described[mother.id].startswith("mum0")


def test_another_access_of_the_client_can_be_hidden_but_not_an_unknown_id(people, family):
    _, _, father, mother = family
    assert portal.hide_item(people["case_manager"], father, "client_access", mother.id)
    with pytest.raises(portal.UnknownItem):
        portal.hide_item(people["case_manager"], father, "client_access", mother.id + 1000)
