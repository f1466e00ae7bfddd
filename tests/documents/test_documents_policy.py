"""Who may work on a client's documents: staff of the client's agency (every role, as the rest of the record);
partners, portal accounts and other agencies never; loaders answer 404 across agencies."""
from __future__ import annotations

import pytest

from portal_app.authz import Permission, can
from portal_app.documents import workflow
from portal_app.documents.document_queries import get_document_for
from portal_app.documents.errors import DocumentNotFound
from tests import factories
from tests.documents.documents_helpers import form


@pytest.fixture
def document(people):
    client = factories.client(people["admin"].organization)
    return workflow.start_document(people["case_manager"], client, form(people["admin"], "Intake form").id)


@pytest.mark.parametrize("role", ["admin", "supervisor", "case_manager"])
def test_staff_of_the_agency_may(people, document, role):
    actor = people[role]
    assert can(actor, Permission.STAFF_DOCUMENTS, document) and can(actor, Permission.STAFF_DOCUMENTS, document.client)
    assert get_document_for(actor, document.id) is document


def test_partners_and_other_agencies_may_not(people, document):
    factories.share(document.client, people["partner"].organization, people["admin"])  # even when shared
    assert not can(people["partner"], Permission.STAFF_DOCUMENTS, document)
    other = factories.user(factories.agency("Elsewhere"), role="admin", email="admin@elsewhere.test")
    assert not can(other, Permission.STAFF_DOCUMENTS, document)
    for actor in (other, people["partner"]):
        with pytest.raises(DocumentNotFound):
            get_document_for(actor, document.id)
    with pytest.raises(DocumentNotFound):
        get_document_for(people["admin"], 10**9)
