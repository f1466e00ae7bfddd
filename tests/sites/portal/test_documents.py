"""Portal documents over HTTP, without JavaScript: the list, the fill page (server-side draft, errors in
Spanish), the signing page (consent once per account, representative capacity), hidden documents."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.documents import workflow
from portal_app.documents.consent import ESignConsent
from portal_app.extensions import db
from portal_app.portal_access.models import HiddenItem
from tests.documents.documents_helpers import family_with_sent_consent, form
from tests.sites.portal.helpers import portal_login, portal_post


@pytest.fixture
def family(people):
    return family_with_sent_consent(people)


def _url(document, tail: str = "") -> str:
    return f"/portal/documents/{document.id}{tail}"


def test_home_and_documents_page_list_the_waiting_document(client, family):
    portal_login(client, "sam")
    url = _url(family["document"])
    assert f'href="{url}"' in client.get("/portal/").get_data(as_text=True)
    page = client.get("/portal/documents").get_data(as_text=True)
    assert f'href="{url}"' in page and "Consent for services" in page


def test_save_draft_then_submit_leads_to_signing(client, family):
    document = family["document"]
    portal_login(client, "sam")
    resp = portal_post(client, _url(document), {"action": "save", "questions": "When do groups meet?"},
                       token_from=_url(document))
    assert resp.status_code == 302 and resp.headers["Location"].endswith(_url(document))
    db.session.refresh(document)
    assert document.answers["questions"] == "When do groups meet?" and document.status == "waiting_client"
    page = client.get(_url(document)).get_data(as_text=True)
    assert "When do groups meet?" in page and "localStorage" not in page
    resp = portal_post(client, _url(document), {"action": "submit", "understood": "yes"}, token_from=_url(document))
    assert resp.status_code == 302 and resp.headers["Location"].endswith(_url(document, "/sign"))
    db.session.refresh(document)
    assert document.status == "waiting_signatures"
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(document.id))))
    assert {"document.draft_saved", "document.submitted", "document.viewed"} <= actions


def test_validation_errors_in_spanish_are_422(client, family):
    document = family["document"]
    portal_login(client, "sam")
    portal_post(client, "/portal/language", {"lang": "es", "next": "/portal/"}, token_from="/portal/")
    resp = portal_post(client, _url(document), {"action": "submit"}, token_from=_url(document))
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'lang="es"' in html and "Consentimiento para recibir servicios" in html
    assert '<p class="error" id="q-understood-error">Elija Sí o No.</p>' in html
    assert "Algunas respuestas deben corregirse" in html and "Guardar y continuar después" in html


def _submitted(client, document, who="sam"):
    portal_login(client, who)
    portal_post(client, _url(document), {"action": "submit", "understood": "yes"}, token_from=_url(document))


def test_consent_once_per_account_then_sign(client, family):
    document = family["document"]
    _submitted(client, document)
    sign = _url(document, "/sign")
    page = client.get(sign).get_data(as_text=True)
    assert "Agree to sign electronically" in page and 'name="typed_name"' not in page
    assert "Who will see it" in page and "How to withdraw" in page
    assert portal_post(client, sign, {"action": "consent"}, token_from=sign).status_code == 302
    page = client.get(sign).get_data(as_text=True)
    assert 'name="typed_name"' in page and "I agree to sign electronically" not in page
    resp = portal_post(client, sign, {"action": "sign", "typed_name": "Sam Delgado"}, token_from=sign)
    assert resp.status_code == 422 and "Tick the box" in resp.get_data(as_text=True)
    resp = portal_post(client, sign, {"action": "sign", "typed_name": "", "intent": "yes"}, token_from=sign)
    assert resp.status_code == 422 and "Type your full name" in resp.get_data(as_text=True)
    resp = portal_post(client, sign, {"action": "sign", "typed_name": "Sam Delgado", "intent": "yes"}, token_from=sign)
    assert resp.status_code == 200 and "You signed" in resp.get_data(as_text=True)
    db.session.refresh(document)
    signature = document.signatures[-1]
    assert signature.capacity == "Sam Delgado, client" and signature.signer_kind == "client"
    rows = db.session.scalars(select(ESignConsent).where(ESignConsent.account_id == family["own"].account_id)).all()
    assert len(rows) == 1 and rows[0].text_version and rows[0].ip_address == "127.0.0.1"


def test_withdrawn_consent_sends_documents_to_paper(client, family):
    document = family["document"]
    _submitted(client, document)
    sign = _url(document, "/sign")
    portal_post(client, sign, {"action": "consent"}, token_from=sign)
    assert "Stop signing electronically" in client.get("/portal/account").get_data(as_text=True)
    assert portal_post(client, "/portal/account/esign-consent/withdraw").status_code == 302
    page = client.get(sign).get_data(as_text=True)
    assert "must be signed on paper" in page and 'name="typed_name"' not in page
    resp = portal_post(client, sign, {"action": "sign", "typed_name": "Sam Delgado", "intent": "yes"}, token_from=sign)
    assert resp.status_code == 403 and not document.signatures
    portal_post(client, sign, {"action": "consent"}, token_from=sign)  # the page offers no way back
    assert "must be signed on paper" in client.get(sign).get_data(as_text=True)


def test_representative_signs_as_their_capacity(client, family):
    document = family["document"]
    _submitted(client, document, "ana")
    sign = _url(document, "/sign")
    portal_post(client, sign, {"action": "consent"}, token_from=sign)
    assert "You sign as" in client.get(sign).get_data(as_text=True)
    resp = portal_post(client, sign, {"action": "sign", "typed_name": "Ana Delgado", "intent": "yes"}, token_from=sign)
    assert resp.status_code == 200
    db.session.refresh(document)
    assert document.signatures[-1].capacity == "Ana Delgado, mother, for Sam Delgado"
    assert document.signatures[-1].signer_kind == "representative"


def test_representative_without_can_sign_is_refused(client, family):
    document = family["document"]
    family["mother"].can_sign = False
    db.session.flush()
    _submitted(client, document, "ana")
    sign = _url(document, "/sign")
    portal_post(client, sign, {"action": "consent"}, token_from=sign)
    assert "You cannot sign this document" in client.get(sign).get_data(as_text=True)
    resp = portal_post(client, sign, {"action": "sign", "typed_name": "Ana Delgado", "intent": "yes"}, token_from=sign)
    assert resp.status_code == 403 and "You cannot sign this document" in resp.get_data(as_text=True)
    assert not document.signatures


def test_hidden_document_is_404_and_absent(client, family):
    document = family["document"]
    db.session.add(HiddenItem(access=family["mother"], item_type="document", item_id=document.id,
                              hidden_by_id=family["people"]["case_manager"].id))
    db.session.flush()
    portal_login(client, "ana")
    assert f'href="{_url(document)}"' not in client.get("/portal/documents").get_data(as_text=True)
    assert f'href="{_url(document)}"' not in client.get("/portal/").get_data(as_text=True)
    for tail in ("", "/sign", "/pdf"):
        assert client.get(_url(document, tail)).status_code == 404


def test_decline_with_a_reason(client, family):
    document = family["document"]
    _submitted(client, document)
    sign = _url(document, "/sign")
    resp = portal_post(client, sign, {"action": "decline", "reason": ""}, token_from=sign)
    assert resp.status_code == 422
    resp = portal_post(client, sign, {"action": "decline", "reason": "I want to read it with my lawyer."},
                       token_from=sign)
    assert resp.status_code == 200 and "chose not to sign" in resp.get_data(as_text=True)
    db.session.refresh(document)
    row = document.signatures[-1]
    assert row.declined and row.decline_reason == "I want to read it with my lawyer."


def test_fill_and_sign_pages_fit_the_phone_budget(client, family, capsys):
    """P1: the fill page (the demo intake, the longest form) and the signing page, gzip bytes on the wire."""
    from tests.sites.page_weight import measure

    people = family["people"]
    intake = workflow.start_document(people["admin"], family["sam"], form(people["admin"], "Intake form").id)
    workflow.send_to_portal(people["admin"], intake)
    _submitted(client, family["document"])
    for name, url in (("fill", _url(intake)), ("sign", _url(family["document"], "/sign"))):
        w = measure(client, url)
        with capsys.disabled():
            print(f"\nP1 portal {name}: HTML {w.html} B, CSS {w.css} B, own JS {w.own_js} B, total {w.total} B, "
                  f"{w.requests} requests")
        assert w.html <= 15 * 1024 and w.css <= 10 * 1024 and w.own_js <= 5 * 1024 and w.requests <= 6
        assert w.total <= 40 * 1024, f"total {w.total} B"
