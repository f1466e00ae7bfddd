"""Client record › Documents on the staff site: start, fill (draft, submit with field errors), countersign,
void, send, upload a paper copy, download the PDF (audited), the PDF panel's progress, and list cost (P3)."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.documents import workflow
from portal_app.documents.document_pdf import seal_document
from portal_app.documents.records import Document
from portal_app.extensions import db
from tests import factories
from tests.conftest import csrf_token
from tests.documents.documents_helpers import CONSENT_ANSWERS, client_signs, form, intake_answers, submitted


def html(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.fixture
def setting(client, auth, people):
    """The case manager signed in; a client; the demo intake and consent published (all committed)."""
    person = factories.client(people["admin"].organization, first_name="Maria", last_name="Quintero")
    intake, consent = form(people["admin"], "Intake form"), form(people["admin"], "Consent for services")
    db.session.commit()
    assert auth.login(people["case_manager"]).status_code == 302
    return person, intake, consent


def _post(client, url: str, data: dict, page: str, **kw):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)}, **kw)


def test_start_fill_and_submit_with_field_errors(client, people, setting):
    person, intake, _consent = setting
    tab = f"/staff/clients/{person.id}/documents"
    assert "No documents yet" in html(client.get(tab))
    assert f'href="{tab}"' in html(client.get(f"/staff/clients/{person.id}"))  # the tab
    start = f"{tab}/new"
    resp = _post(client, start, {"template_id": ""}, start)
    assert resp.status_code == 422 and "Choose a form." in html(resp)
    resp = _post(client, start, {"template_id": str(intake.id)}, start)
    assert resp.status_code == 302
    document = db.session.scalar(select(Document).where(Document.client_id == person.id))
    fill = f"/staff/documents/{document.id}/fill"
    assert resp.headers["Location"].endswith(fill)
    resp = _post(client, fill, {"action": "save", "full_name": "Maria Q", "household_size": "lots"}, fill)
    assert resp.status_code == 302
    page = html(client.get(fill))
    assert 'value="Maria Q"' in page and 'value="lots"' in page  # the draft kept what was typed
    resp = _post(client, fill, {"action": "submit", "full_name": "Maria Q", "household_size": "lots"}, fill)
    page = html(resp)
    assert resp.status_code == 422
    assert "Enter a number, like 12 or 3.5." in page and "Choose Yes or No." in page
    assert 'id="q-household_size-error"' in page
    answers = intake_answers(intake)
    resp = _post(client, fill, {"action": "submit", **answers}, fill)
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/staff/documents/{document.id}")
    page = html(client.get(f"/staff/documents/{document.id}"))
    assert "Waiting for signatures" in page and "Help with rent this winter." in page
    assert "answers submitted" in page and people["case_manager"].full_name in page  # the audit trail: who
    listing = html(client.get(tab))
    assert "Intake form" in listing and "version 1" in listing and "Waiting for signatures" in listing
    resp = _post(client, fill, {"action": "save"}, f"/staff/documents/{document.id}")
    assert resp.status_code == 409 and "cannot be filled in now" in html(resp)


def test_countersign_void_and_invalid_transitions(client, people, setting):
    person, _intake, consent = setting
    document = submitted(people["admin"], person, consent, CONSENT_ANSWERS)
    db.session.commit()
    detail = f"/staff/documents/{document.id}"
    resp = _post(client, f"{detail}/countersign", {"typed_name": "Casey Case"}, detail)
    assert resp.status_code == 422 and "Tick the box to confirm that you mean to sign." in html(resp)
    resp = _post(client, f"{detail}/countersign", {"typed_name": "Casey Case", "intent": "y"}, detail)
    assert resp.status_code == 302
    page = html(client.get(detail))
    assert "Casey Case, case manager," in page and "typed name on the staff site" in page
    resp = _post(client, f"{detail}/countersign", {"typed_name": "Casey Case", "intent": "y"}, detail)
    assert resp.status_code == 409
    resp = _post(client, f"{detail}/send", {}, detail)
    assert resp.status_code == 409 and "cannot be sent to the portal now" in html(resp)
    resp = _post(client, f"{detail}/void", {"reason": ""}, detail)
    assert resp.status_code == 422 and "Say why the document is voided." in html(resp)
    resp = _post(client, f"{detail}/void", {"reason": "Wrong client"}, detail)
    assert resp.status_code == 302
    page = html(client.get(detail))
    assert "Voided" in page and "Wrong client" in page and "Casey Case" in page  # the signature stays
    assert client.get(f"{detail}/pdf").status_code == 404  # never completed: no PDF


def test_send_to_the_portal_needs_an_account(client, people, setting):
    person, intake, _consent = setting
    document = workflow.start_document(people["admin"], person, intake.id)
    db.session.commit()
    detail = f"/staff/documents/{document.id}"
    resp = _post(client, f"{detail}/send", {}, detail)
    assert resp.status_code == 409 and "no active portal account" in html(resp)
    factories.access(factories.account("maria.q", email="m@example.test"), person, "self")
    db.session.commit()
    assert _post(client, f"{detail}/send", {}, detail).status_code == 302
    assert "Waiting for the client" in html(client.get(detail))


def test_paper_copy_upload(client, people, setting):
    person = setting[0]
    notice = form(people["admin"], "Notice of termination of benefits")
    document = workflow.start_document(people["admin"], person, notice.id)
    db.session.commit()
    detail = f"/staff/documents/{document.id}"
    page = html(client.get(detail))
    assert "Must be signed on paper" in page and "Send to the client" not in page
    resp = _post(client, f"{detail}/paper", {"scan": (io.BytesIO(b"GIF89a nope"), "scan.pdf")}, detail,
                 content_type="multipart/form-data")
    assert resp.status_code == 422 and "Upload the scanned copy as a PDF, JPEG or PNG" in html(resp)
    scan = b"%PDF-1.4\n%%EOF\n"
    resp = _post(client, f"{detail}/paper", {"scan": (io.BytesIO(scan), "scan.pdf")}, detail,
                 content_type="multipart/form-data")
    assert resp.status_code == 302
    assert "the scanned wet-ink copy is on file" in html(client.get(detail))
    download = client.get(f"{detail}/pdf")
    assert download.status_code == 200 and download.data == scan


def test_pdf_progress_then_audited_download(client, people, setting):
    person, _intake, consent = setting
    document = submitted(people["admin"], person, consent, CONSENT_ANSWERS)
    workflow.countersign(people["admin"], document, "Alex Admin")
    client_signs(document)
    db.session.commit()
    status_url = f"/staff/documents/{document.id}/pdf-status"
    panel = html(client.get(status_url))
    assert "being produced" in panel and f'hx-get="{status_url}"' in panel
    seal_document(document)
    db.session.commit()
    panel = html(client.get(status_url))
    assert "hx-get" not in panel and document.sealed_file.verification_code in panel
    resp = client.get(f"/staff/documents/{document.id}/pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"].startswith("attachment")
    assert resp.data.startswith(b"%PDF")
    downloads = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "document.downloaded", AuditEvent.object_id == str(document.id))).all()
    assert len(downloads) == 1 and downloads[0].actor_id == people["case_manager"].id


def test_the_documents_list_costs_the_same_queries_at_any_size(client, people, setting):
    from tests.sql import count_statements

    person, intake, consent = setting
    url = f"/staff/clients/{person.id}/documents"

    def add(n: int) -> None:
        for i in range(n):
            submitted(people["supervisor" if i % 2 else "admin"], person, consent if i % 3 else intake,
                      CONSENT_ANSWERS if i % 3 else intake_answers(intake))
        db.session.commit()

    def count() -> int:
        with count_statements() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    add(2)
    small = count()
    add(30)
    assert count() == small
    assert 'rel="next"' in html(client.get(url)) or "?page=2" in html(client.get(url))


def test_a_document_is_hidden_from_one_representative_in_the_portal_manager(client, people, setting):
    person, intake, _consent = setting
    people["case_manager"].perm_client_portal = True
    dad = factories.access(factories.account("dad.q"), person, label="father")
    document = workflow.start_document(people["admin"], person, intake.id)
    db.session.commit()
    manager = f"/staff/clients/{person.id}/portal"
    page = html(client.get(manager))
    assert "Intake form" in page and f'value="{document.id}"' in page  # listed among the items to hide
    resp = _post(client, f"{manager}/accesses/{dad.id}/hide", {"item_type": "document", "item_id": str(document.id)},
                 manager)
    assert resp.status_code == 302
    assert workflow.portal_recipients(document) == []
