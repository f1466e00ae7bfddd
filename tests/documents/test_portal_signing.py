"""The portal's signing rules in the domain: consent once per account, who may sign (client, representative
with can_sign on a form that allows it), the signature row (capacity, SHA-256 of the signed content),
declining, hidden documents, and the worker sealing the PDF after the last signature."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal_app.documents import portal_documents as pd
from portal_app.documents import workflow
from portal_app.documents.consent import (
    ESignConsent,
    current_consent,
    give_consent,
    withdraw_consent,
)
from portal_app.documents.demo import DEMO_TEMPLATES
from portal_app.documents.errors import DocumentNotFound, SignatureNameInvalid
from portal_app.documents.pdf import content_sha256
from portal_app.documents.sealed import read_sealed_pdf
from portal_app.documents.services import install_template
from portal_app.extensions import db
from portal_app.portal_access.models import HiddenItem
from portal_app.worker import run_document_sealing
from tests.documents.documents_helpers import CONSENT_ANSWERS, family_with_sent_consent


@pytest.fixture
def sent(people):
    return family_with_sent_consent(people)


def _fill(sent, access):
    workflow.save_answers(access.account, sent["document"], {"questions": "Later?"}, submit=False)
    assert sent["document"].status == "waiting_client"  # a draft on the portal keeps it waiting
    workflow.save_answers(access.account, sent["document"], CONSENT_ANSWERS, submit=True)
    assert sent["document"].status == "waiting_signatures"


def test_consent_is_given_once_per_account_and_withdrawable(sent):
    account = sent["own"].account
    first = give_consent(account, "203.0.113.9")
    assert give_consent(account, "203.0.113.10") is first
    assert db.session.scalar(select(func.count(ESignConsent.id))) == 1
    assert withdraw_consent(account) and current_consent(account) is None
    with pytest.raises(pd.ConsentRequired):
        pd.sign(account, sent["own"], sent["document"], "Sam Delgado")


def test_signature_row_binds_capacity_and_content(sent):
    _fill(sent, sent["mother"])
    account = sent["mother"].account
    give_consent(account)
    row = pd.sign(account, sent["mother"], sent["document"], "  Ana   Delgado ", ip="198.51.100.4", user_agent="Phone")
    assert row.typed_name == "Ana Delgado" and row.capacity == "Ana Delgado, mother, for Sam Delgado"
    assert row.signer_kind == "representative" and row.access_id == sent["mother"].id
    assert row.statement == pd.PORTAL_INTENT and row.ip_address == "198.51.100.4"
    assert row.content_sha256 == content_sha256(workflow.signed_content(sent["document"]))
    assert len(row.content_sha256) == 64


def test_representative_needs_can_sign_and_the_forms_flag(sent):
    _fill(sent, sent["own"])
    account = sent["mother"].account
    give_consent(account)
    sent["mother"].can_sign = False
    with pytest.raises(pd.MaySignNot):
        pd.sign(account, sent["mother"], sent["document"], "Ana Delgado")
    assert not sent["document"].signatures
    sent["mother"].can_sign = True
    admin = sent["people"]["admin"]
    spec = next(s for s in DEMO_TEMPLATES if s["name"] == "Consent for services")
    client_only = install_template(admin, **{
        **spec, "name": "Consent, client only", "fields": [q for q in spec["fields"] if q["key"] != "sign_representative"],
        "flags": {**spec["flags"], "representative_may_sign": False}})
    other = workflow.start_document(admin, sent["document"].client, client_only.id)
    workflow.send_to_portal(admin, other)
    workflow.save_answers(account, other, CONSENT_ANSWERS, submit=True)
    assert not pd.may_sign(sent["mother"], other) and pd.may_sign(sent["own"], other)
    with pytest.raises(pd.MaySignNot):
        pd.sign(account, sent["mother"], other, "Ana Delgado")


def test_name_must_be_plain_and_short(sent):
    _fill(sent, sent["own"])
    give_consent(sent["own"].account)
    for bad in ("", "   ", "x" * 121, "Sam\x00Delgado"):
        with pytest.raises(SignatureNameInvalid):
            pd.sign(sent["own"].account, sent["own"], sent["document"], bad)


def test_decline_keeps_the_reason_for_staff(sent):
    _fill(sent, sent["own"])
    row = pd.decline(sent["own"].account, sent["own"], sent["document"], "Not yet, I have questions.")
    assert row.declined and row.decline_reason == "Not yet, I have questions."
    assert "client" in workflow.missing_signers(sent["document"])


def test_hidden_document_is_not_found_for_that_representative(sent):
    document = sent["document"]
    db.session.add(HiddenItem(access=sent["mother"], item_type="document", item_id=document.id,
                              hidden_by_id=sent["people"]["case_manager"].id))
    db.session.flush()
    with pytest.raises(DocumentNotFound):
        pd.get_portal_document_for(sent["mother"], document.id)
    assert pd.portal_documents(sent["mother"]) == ([], [])
    assert pd.get_portal_document_for(sent["own"], document.id) is document


def test_the_worker_seals_after_the_last_signature(sent):
    _fill(sent, sent["own"])
    document = sent["document"]
    workflow.countersign(sent["people"]["case_manager"], document, "Casey Case")
    give_consent(sent["own"].account)
    pd.sign(sent["own"].account, sent["own"], document, "Sam Delgado")
    assert document.status == "completed" and document.sealing
    assert run_document_sealing() == 1
    db.session.refresh(document)
    assert document.sealed_file is not None
    assert read_sealed_pdf(document.sealed_file).startswith(b"%PDF-")
    assert pd.portal_documents(sent["own"])[1] == [document]
