"""Documents of a client (issue 11 item 2): statuses and transitions, validation per field, countersignature
rules, paper-only forms, void keeps everything, sending to the portal."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.documents import services as forms_service
from portal_app.documents import workflow
from portal_app.documents.errors import (
    AlreadyCountersigned,
    AnswersInvalid,
    CannotEsign,
    CountersignatureNotRequired,
    NoPortalAccount,
    PaperCopyInvalid,
    SignatureNameInvalid,
    SignaturesMissing,
    TemplateNotOffered,
    VoidReasonMissing,
    WrongStatus,
)
from portal_app.documents.records import Document, DocumentSignature
from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.storage import get_storage
from tests import factories
from tests.documents.documents_helpers import (
    CONSENT_ANSWERS,
    client_signs,
    form,
    intake_answers,
    submitted,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def client_a(people):
    return factories.client(people["admin"].organization, first_name="Maria", last_name="Quintero")


def _actions(document) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "Document", AuditEvent.object_id == str(document.id)).order_by(AuditEvent.id)))


def test_a_document_starts_on_the_current_version_and_keeps_it(people, client_a):
    admin = people["admin"]
    intake = form(admin, "Intake form")
    document = workflow.start_document(people["case_manager"], client_a, intake.id)
    assert document.status == "draft" and document.template_version.number == 1 and not document.paper_only
    draft = forms_service.start_draft(admin, intake)
    forms_service.publish(admin, intake, draft, draft.version_id)
    db.session.expire_all()
    assert db.session.get(Document, document.id).template_version.number == 1
    assert workflow.start_document(people["case_manager"], client_a, intake.id).template_version.number == 2
    assert _actions(document) == ["document.created"]


def test_only_published_active_forms_of_the_agency_start(people, client_a):
    admin = people["admin"]
    unpublished = forms_service.create_template(admin, name="Unpublished", name_es="Sin publicar", category="intake")
    other_agency_admin = factories.user(factories.agency("Other"), role="admin", email="admin@other.test")
    theirs = form(other_agency_admin, "Intake form")
    archived = form(admin, "Consent for services")
    forms_service.set_archived(admin, archived, True)
    for template_id in (unpublished.id, theirs.id, archived.id, None, 10**9):
        with pytest.raises(TemplateNotOffered):
            workflow.start_document(people["case_manager"], client_a, template_id)


def test_drafts_keep_what_was_typed_and_submit_names_each_wrong_field(people, client_a):
    intake = form(people["admin"], "Intake form")
    cm = people["case_manager"]
    document = workflow.start_document(cm, client_a, intake.id)
    typed = {"full_name": "Maria", "date_of_birth": "2199-01-01", "household_size": "many"}
    check = workflow.save_answers(cm, document, typed, submit=False)
    assert document.status == "draft" and document.answers["date_of_birth"] == "2199-01-01"
    assert not check.ok
    with pytest.raises(AnswersInvalid) as refused:
        workflow.save_answers(cm, document, typed, submit=True)
    errors = refused.value.errors
    assert errors["date_of_birth"] == "Enter a date before today."
    assert errors["household_size"] == "Enter a number, like 12 or 3.5."
    assert errors["safe_at_home"] == "Choose Yes or No." and errors["needs"] == "Choose at least one answer."
    assert "full_name" not in errors
    assert refused.value.status == 422
    with pytest.raises(AnswersInvalid) as in_spanish:
        workflow.save_answers(cm, document, typed, submit=True, lang="es")
    assert in_spanish.value.errors["safe_at_home"] != "Choose Yes or No."


def test_submitting_moves_on_and_answers_then_stay(people, client_a):
    intake = form(people["admin"], "Intake form")
    document = submitted(people["case_manager"], client_a, intake, intake_answers(intake))
    assert document.status == "waiting_signatures" and document.answers_submitted_at is not None
    assert workflow.missing_signers(document) == ["client"]
    with pytest.raises(WrongStatus) as refused:
        workflow.save_answers(people["case_manager"], document, {}, submit=False)
    assert refused.value.status == 409 and "Waiting for signatures" in str(refused.value)
    with pytest.raises(SignaturesMissing):
        workflow.complete(people["case_manager"], document)
    signature = client_signs(document)
    assert document.status == "completed" and document.sealing
    assert signature.content_sha256 == workflow.signed_content_sha256(document)
    assert _actions(document)[-2:] == ["document.signed", "document.completed"]


def test_countersignature_rules(people, client_a):
    cm = people["case_manager"]
    intake, consent = form(people["admin"], "Intake form"), form(people["admin"], "Consent for services")
    no_staff_block = submitted(cm, client_a, intake, intake_answers(intake))
    with pytest.raises(CountersignatureNotRequired):
        workflow.countersign(cm, no_staff_block, "Casey Case")
    document = workflow.start_document(cm, client_a, consent.id)
    with pytest.raises(WrongStatus):  # a draft is not signed
        workflow.countersign(cm, document, "Casey Case")
    workflow.save_answers(cm, document, CONSENT_ANSWERS, submit=True)
    assert workflow.missing_signers(document) == ["client", "staff"]
    with pytest.raises(SignatureNameInvalid):
        workflow.countersign(cm, document, " x ")
    staff_signature = workflow.countersign(cm, document, "Casey  Case", ip="10.0.0.7", user_agent="Firefox")
    assert staff_signature.typed_name == "Casey Case" and staff_signature.staff_user_id == cm.id
    assert staff_signature.capacity.startswith("Casey Case, case manager, ")
    assert staff_signature.ip_address == "10.0.0.7" and staff_signature.method == "typed name on the staff site"
    assert staff_signature.statement == workflow.STAFF_INTENT and staff_signature.user_agent == "Firefox"
    assert document.status == "waiting_signatures"
    with pytest.raises(AlreadyCountersigned):
        workflow.countersign(people["supervisor"], document, "Sam Supervisor")
    client_signs(document)
    assert document.status == "completed"
    with pytest.raises(WrongStatus):
        workflow.countersign(cm, document, "Casey Case")


def test_a_declined_signature_is_a_row_and_completes_nothing(people, client_a):
    intake = form(people["admin"], "Intake form")
    document = submitted(people["case_manager"], client_a, intake, intake_answers(intake))
    from portal_app.documents.records import SignerKind
    workflow.record_signature(None, document, SignerKind.CLIENT, "Maria Lopez", "Maria Lopez, client",
                              method="typed name on the client portal", declined=True,
                              decline_reason="I want to read it with my lawyer first.")
    assert document.status == "waiting_signatures" and workflow.missing_signers(document) == ["client"]
    row = db.session.scalar(select(DocumentSignature).where(DocumentSignature.document_id == document.id))
    assert row.declined and row.decline_reason.startswith("I want")


def test_paper_only_forms_cannot_be_e_signed_and_complete_with_the_scan(people, client_a):
    cm = people["case_manager"]
    notice = form(people["admin"], "Notice of termination of benefits")
    document = workflow.start_document(cm, client_a, notice.id)
    assert document.paper_only
    with pytest.raises(CannotEsign):
        workflow.send_to_portal(cm, document)
    workflow.save_answers(cm, document, {"benefit": "Food assistance", "ends_on": "2026-12-31"}, submit=True)
    with pytest.raises(CannotEsign):
        workflow.countersign(cm, document, "Casey Case")
    with pytest.raises(CannotEsign):
        client_signs(document)
    with pytest.raises(WrongStatus):
        workflow.complete(cm, document)
    with pytest.raises(PaperCopyInvalid):
        workflow.attach_paper_copy(cm, document, b"MZ\x90\x00 not a scan")
    workflow.attach_paper_copy(cm, document, PDF_BYTES)
    assert document.status == "completed" and not document.sealing
    assert document.paper_copy_type == "application/pdf" and document.paper_copy_by_id == cm.id
    assert get_storage().get(document.paper_copy_key) == PDF_BYTES
    assert "document.paper_copy_uploaded" in _actions(document)


def test_void_keeps_everything(people, client_a):
    cm = people["case_manager"]
    consent = form(people["admin"], "Consent for services")
    document = submitted(cm, client_a, consent, CONSENT_ANSWERS)
    workflow.countersign(cm, document, "Casey Case")
    with pytest.raises(VoidReasonMissing):
        workflow.void(cm, document, "  ")
    workflow.void(people["supervisor"], document, "Started for the wrong client.")
    db.session.expire_all()
    kept = db.session.get(Document, document.id)
    assert kept.status == "voided" and kept.void_reason == "Started for the wrong client."
    assert kept.voided_by_id == people["supervisor"].id and kept.voided_at is not None
    assert kept.answers == CONSENT_ANSWERS and len(kept.signatures) == 1
    with pytest.raises(WrongStatus):
        workflow.void(cm, kept, "Again")
    with pytest.raises(WrongStatus):
        client_signs(kept)


def test_send_to_portal_emails_a_link_only_to_accounts_that_may_see_it(people, client_a):
    cm = people["case_manager"]
    intake = form(people["admin"], "Intake form")
    document = workflow.start_document(cm, client_a, intake.id)
    with pytest.raises(NoPortalAccount):
        workflow.send_to_portal(cm, document)
    own = factories.account("maria.q", email="maria@example.test")
    own.language = "es"
    factories.access(own, client_a, "self")
    aunt = factories.account("aunt.q", email="aunt@example.test")
    factories.access(aunt, client_a, label="aunt")
    assert workflow.send_to_portal(cm, document) == 2
    assert document.status == "waiting_client" and document.sent_by_id == cm.id
    emails = list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))[-2:]
    assert {e.to_address for e in emails} == {"maria@example.test", "aunt@example.test"}
    by_address = {e.to_address: e for e in emails}
    assert by_address["maria@example.test"].subject.startswith("Tiene un documento de ")
    assert by_address["aunt@example.test"].subject.startswith("You have a document from ")
    for email in emails:
        assert "Quintero" not in email.body_text and "Intake" not in email.body_text and "/portal/" in email.body_text
    with pytest.raises(WrongStatus):
        workflow.send_to_portal(cm, document)
