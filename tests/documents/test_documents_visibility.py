"""Documents in the per-representative HiddenItem registry: hidden from one representative, a document is
listed for staff, refused for other clients, and left out of that representative's emails."""
from __future__ import annotations

import pytest

from portal_app.documents import workflow
from portal_app.documents.records import ITEM_TYPE
from portal_app.portal_access.errors import UnknownItem
from portal_app.portal_access.hiding import hide_item, show_item
from portal_app.portal_access.visibility import ITEM_TYPES, hideable_items
from tests import factories
from tests.documents.documents_helpers import form


@pytest.fixture
def family(people):
    agency = people["admin"].organization
    child = factories.client(agency, first_name="Sam", last_name="Delgado")
    mother = factories.account("ana.d", email="ana@example.test")
    father = factories.account("luis.d", email="luis@example.test")
    mother_access = factories.access(mother, child, label="mother")
    father_access = factories.access(father, child, label="father")
    document = workflow.start_document(people["case_manager"], child, form(people["admin"], "Intake form").id)
    return child, document, mother_access, father_access


def test_documents_are_a_registered_item_type(family):
    child, document, _mother, father_access = family
    assert ITEM_TYPE == "document" and ITEM_TYPE in ITEM_TYPES
    listed = [(kind, item_id) for kind, item_id, _ in hideable_items(child, father_access)]
    assert (ITEM_TYPE, document.id) in listed
    description = next(d for kind, i, d in hideable_items(child, father_access) if kind == ITEM_TYPE)
    assert "Intake form" in description and "version 1" in description


def test_a_document_hidden_from_one_representative_is_not_emailed_to_them(people, family):
    child, document, mother_access, father_access = family
    assert hide_item(people["case_manager"], father_access, ITEM_TYPE, document.id)
    assert [a.username for a in workflow.portal_recipients(document)] == ["ana.d"]
    assert workflow.send_to_portal(people["case_manager"], document) == 1
    assert show_item(people["case_manager"], father_access, ITEM_TYPE, document.id)
    assert {a.username for a in workflow.portal_recipients(document)} == {"ana.d", "luis.d"}


def test_another_clients_document_cannot_be_hidden(people, family):
    _child, document, _mother, _father = family
    other = factories.client(people["admin"].organization)
    rep = factories.access(factories.account("other.rep"), other, label="aunt")
    with pytest.raises(UnknownItem):
        hide_item(people["case_manager"], rep, ITEM_TYPE, document.id)
