"""Item 5: the client (or a representative) at the desk signs on the staff screen: typed name, capacity,
"signed in person in the presence of <staff>", method "in person"; the sealed PDF says so."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.documents import workflow
from portal_app.documents.document_pdf import seal_document
from portal_app.documents.sealed import read_sealed_pdf
from portal_app.extensions import db
from tests import factories as f
from tests.conftest import csrf_token
from tests.documents.documents_helpers import CONSENT_ANSWERS, form


@pytest.fixture
def at_desk(client, auth, people):
    """A consent for services waiting for the client's signature, and the case manager signed in."""
    staff = people["case_manager"]
    sam = f.client(staff.organization, first_name="Sam", last_name="Delgado")
    mother = f.access(f.account("ana", full_name="Ana Delgado"), sam, label="mother", can_sign=True)
    document = workflow.start_document(staff, sam, form(people["admin"], "Consent for services").id)
    workflow.save_answers(staff, document, CONSENT_ANSWERS, submit=True)
    auth.login(staff)
    url = f"/staff/documents/{document.id}"
    return {"document": document, "mother": mother, "staff": staff, "url": url,
            "token": csrf_token(client, url)}


def _post(client, at_desk, **data):
    return client.post(f"{at_desk['url']}/sign-in-person", data={"csrf_token": at_desk["token"], **data})


def test_the_client_signs_in_person_and_the_pdf_says_so(client, at_desk):
    assert "Signed in person" in client.get(at_desk["url"]).get_data(as_text=True)
    resp = _post(client, at_desk, signer="client", typed_name="Sam Delgado", intent="y")
    assert resp.status_code == 302
    document = at_desk["document"]
    row = document.signatures[-1]
    assert row.method == "in person" and row.signer_kind == "client" and row.capacity == "Sam Delgado, client"
    assert row.statement.startswith(f"Signed in person in the presence of {at_desk['staff'].display_name}")
    assert row.staff_user_id == at_desk["staff"].id
    assert "document.signed" in set(db.session.scalars(select(AuditEvent.action)))
    workflow.countersign(at_desk["staff"], document, "Casey Case")
    assert document.status == "completed"
    seal_document(document)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(read_sealed_pdf(document.sealed_file))).pages)
    assert f"in person, in the presence of {at_desk['staff'].display_name}" in " ".join(text.split())


def test_a_representative_signs_in_person_as_their_capacity(client, at_desk):
    resp = _post(client, at_desk, signer=f"access:{at_desk['mother'].id}", typed_name="Ana Delgado", intent="y")
    assert resp.status_code == 302
    row = at_desk["document"].signatures[-1]
    assert row.signer_kind == "representative" and row.capacity == "Ana Delgado, mother, for Sam Delgado"
    assert row.access_id == at_desk["mother"].id and row.method == "in person"


@pytest.mark.parametrize("data, field", [
    ({"typed_name": "Sam Delgado", "intent": "y"}, "signer"),
    ({"signer": "access:999999", "typed_name": "Sam Delgado", "intent": "y"}, "signer"),
    ({"signer": "client", "typed_name": "S", "intent": "y"}, "typed_name"),
    ({"signer": "client", "typed_name": "Sam Delgado"}, "intent"),
])
def test_bad_input_is_a_field_error_and_nothing_is_recorded(client, at_desk, data, field):
    resp = _post(client, at_desk, **data)
    assert resp.status_code == 422 and f'id="{field}-error"' in resp.get_data(as_text=True)
    assert not at_desk["document"].signatures
