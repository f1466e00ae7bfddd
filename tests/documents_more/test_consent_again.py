"""Item 2: consent to sign electronically can be given again after a withdrawal (a new row and event); staff
see each portal account's consent (given at, withdrawn at) on the document page, and "to be signed on paper"."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.documents import workflow
from portal_app.documents.consent import (
    ESignConsent,
    current_consent,
    give_consent,
    withdraw_consent,
)
from portal_app.extensions import db
from tests.documents.documents_helpers import CONSENT_ANSWERS, family_with_sent_consent
from tests.sites.portal.helpers import portal_login, portal_post


@pytest.fixture
def family(people):
    return family_with_sent_consent(people)


def test_consent_given_again_after_withdrawal_is_a_new_row_and_event(family):
    account = family["own"].account
    first = give_consent(account, "203.0.113.9")
    withdraw_consent(account)
    second = give_consent(account, "203.0.113.10")
    assert second.id != first.id and current_consent(account) is second
    assert first.withdrawn_at is not None and second.withdrawn_at is None
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "esign.consent_given")
                                .order_by(AuditEvent.id)).all()
    assert [json.loads(e.details).get("again") for e in events] == [False, True]


def test_account_page_offers_signing_electronically_again(client, family):
    account = family["own"].account
    give_consent(account)
    portal_login(client, "sam")
    portal_post(client, "/portal/account/esign-consent/withdraw")
    page = client.get("/portal/account").get_data(as_text=True)
    assert "You stopped signing electronically on" in page and "Sign electronically again" in page
    workflow.save_answers(account, family["document"], CONSENT_ANSWERS, submit=True)
    sign = client.get(f"/portal/documents/{family['document'].id}/sign")
    assert "agree again in Account settings" in sign.get_data(as_text=True)
    resp = portal_post(client, "/portal/account/esign-consent/give")
    assert resp.status_code == 302
    assert current_consent(account) is not None
    assert db.session.scalar(select(db.func.count(ESignConsent.id))) == 2
    assert "Stop signing electronically" in client.get("/portal/account").get_data(as_text=True)
    assert client.post("/portal/account/esign-consent/give").status_code == 400  # CSRF


def test_staff_see_each_accounts_consent_and_paper_for_withdrawn(client, auth, family):
    give_consent(family["own"].account)
    give_consent(family["mother"].account)
    withdraw_consent(family["mother"].account)
    auth.login(family["people"]["case_manager"])
    html = client.get(f"/staff/documents/{family['document'].id}").get_data(as_text=True)
    section = html[html.index('id="consent-heading"'):]
    section = section[:section.index("</section>")]
    assert "Sam Delgado (the client)" in section and "Ana Delgado, mother of" in section
    rows = section.split("<tr>")[2:]
    sam_row = next(r for r in rows if "the client" in r)
    ana_row = next(r for r in rows if "mother" in r)
    assert "May sign electronically" in sam_row and "To be signed on paper" not in sam_row
    assert "To be signed on paper" in ana_row and ana_row.count("<time") == 2
