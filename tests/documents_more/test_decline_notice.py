"""Item 4: a client or representative declines with a reason: the staff member who sent the document gets an
email (a link only: no reason, no names) and the document page shows the reason at the top."""
from __future__ import annotations

from sqlalchemy import select

from portal_app.documents import portal_documents as pd
from portal_app.documents import workflow
from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from tests import factories as f
from tests.documents.documents_helpers import CONSENT_ANSWERS, form

REASON = "I want to talk to my counselor about the group rules first."


def test_declining_emails_the_sender_and_staff_read_the_reason(client, auth, people):
    sender = people["case_manager"]
    sam = f.client(sender.organization, first_name="Sam", last_name="Delgado")
    mother = f.access(f.account("ana", full_name="Ana Delgado"), sam, label="mother", can_sign=True)
    document = workflow.start_document(people["admin"], sam, form(people["admin"], "Consent for services").id)
    workflow.send_to_portal(sender, document)
    workflow.save_answers(mother.account, document, CONSENT_ANSWERS, submit=True)
    db.session.query(OutboxEmail).delete()
    pd.decline(mother.account, mother, document, REASON)
    mails = db.session.scalars(select(OutboxEmail)).all()
    assert [m.to_address for m in mails] == [sender.email]  # the sender, not the admin who started it
    body = mails[0].subject + mails[0].body_text
    assert f"/staff/documents/{document.id}" in body
    assert REASON not in body and "Sam" not in body and "Ana" not in body and "Consent" not in body
    auth.login(sender)
    page = client.get(f"/staff/documents/{document.id}").get_data(as_text=True)
    top = page[:page.index('id="answers-heading"')]
    assert "Declined</strong> by Ana Delgado, mother, for Sam Delgado" in top and REASON in top


def test_no_email_when_the_sender_was_disabled(people):
    sender = people["case_manager"]
    sam = f.client(sender.organization)
    own = f.access(f.account("sam"), sam, "self")
    document = workflow.start_document(sender, sam, form(people["admin"], "Consent for services").id)
    workflow.send_to_portal(sender, document)
    workflow.save_answers(own.account, document, CONSENT_ANSWERS, submit=True)
    sender.enabled = False
    db.session.query(OutboxEmail).delete()
    pd.decline(own.account, own, document, REASON)
    assert db.session.scalar(select(OutboxEmail.id)) is None
    assert document.signatures[-1].declined and document.signatures[-1].decline_reason == REASON
