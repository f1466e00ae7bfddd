"""A completed document becomes a sealed PDF in the worker (P5): its text holds the answers and the
signatures, its bytes hash to the record, its signed content to the signatures, and the seal validates."""
from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader

from portal_app.documents import workflow
from portal_app.documents.document_pdf import seal_document
from portal_app.documents.seal import verify_seal
from portal_app.documents.sealed import read_sealed_pdf
from portal_app.extensions import db
from portal_app.worker import run_document_sealing
from tests import factories
from tests.documents.documents_helpers import CONSENT_ANSWERS, client_signs, form, intake_answers, submitted


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def completed_consent(people):
    client = factories.client(people["admin"].organization, first_name="Maria", last_name="Quintero")
    consent = form(people["admin"], "Consent for services")
    document = submitted(people["case_manager"], client, consent, CONSENT_ANSWERS)
    workflow.countersign(people["case_manager"], document, "Casey Case", ip="10.0.0.7")
    client_signs(document)
    assert document.status == "completed" and document.sealing
    return document


def test_the_worker_seals_a_completed_document(completed_consent):
    document = completed_consent
    assert run_document_sealing() == 1
    db.session.refresh(document)
    row = document.sealed_file
    assert row is not None and not document.sealing
    pdf = read_sealed_pdf(row)
    assert hashlib.sha256(pdf).hexdigest() == row.pdf_sha256
    assert {s.content_sha256 for s in document.signatures} == {row.content_sha256}
    assert row.content_sha256 == workflow.signed_content_sha256(document)
    text = _text(pdf)
    assert "When are the group sessions held?" in text  # a typed answer
    assert "Consent for services" in text and "Maria Quintero" in text
    assert "Casey Case" in text and "Maria Lopez Quintero" in text  # both signatures
    assert row.content_sha256 in text.replace("\n", "")  # the certificate page prints the signed content's hash
    assert row.verification_code in text
    report = verify_seal(pdf)
    assert report.valid and report.verification_code == row.verification_code
    assert run_document_sealing() == 0  # nothing left to seal


def test_changing_one_byte_breaks_the_seal(completed_consent):
    seal_document(completed_consent)
    pdf = bytearray(read_sealed_pdf(completed_consent.sealed_file))
    middle = len(pdf) // 3
    pdf[middle] = (pdf[middle] + 1) % 256
    assert not verify_seal(bytes(pdf)).valid


def test_a_form_without_signatures_is_completed_on_submit_and_sealed(people):
    client = factories.client(people["admin"].organization)
    intake = form(people["admin"], "Intake form")
    spec_fields = [f for f in intake.versions[0].fields if f["kind"] != "signature"]
    from portal_app.documents.services import install_template
    unsigned = install_template(people["admin"], name="Household survey", name_es="Encuesta", category="other",
                                fields=spec_fields)
    document = submitted(people["case_manager"], client, unsigned, intake_answers(intake))
    assert document.status == "completed" and document.sealing
    seal_document(document)
    text = _text(read_sealed_pdf(document.sealed_file))
    assert "Help with rent this winter." in text and "Maria Lopez Quintero" in text
