"""A document signed on a phone (360 px) with JavaScript off: fill, consent once, sign by typed name."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import seeded_server
from tests.browser.test_portal_family import portal_sign_in


def _consent_sent_to_jamie(people: dict) -> int:
    from sqlalchemy import select

    from portal_app.accounts.models import User
    from portal_app.clients.models import Client
    from portal_app.documents import workflow
    from portal_app.extensions import db
    from tests.documents.documents_helpers import form

    admin = db.session.scalar(select(User).where(User.email == people["admin"]["email"]))
    jamie = db.session.get(Client, int(people["client"]["id"]))
    document = workflow.start_document(admin, jamie, form(admin, "Consent for services").id)
    workflow.send_to_portal(admin, document)
    db.session.commit()
    return document.id


@pytest.mark.browser
def test_sign_a_document_on_a_phone_without_javascript(tmp_path, browser):
    with seeded_server(tmp_path, "documents", _consent_sent_to_jamie) as (server, document_id):
        context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
        try:
            page = context.new_page()
            portal_sign_in(page, server.url, server.people["jamie"]["username"], server.password)
            page.get_by_role("link", name="Consent for services").click()
            expect(page).to_have_url(f"{server.url}/portal/documents/{document_id}")
            page.get_by_role("button", name="Submit and go to signing").click()
            expect(page.locator(".error-summary")).to_be_visible()  # the required question, checked on the server
            page.get_by_role("radio", name="Yes").check()
            page.get_by_role("button", name="Submit and go to signing").click()
            expect(page).to_have_url(f"{server.url}/portal/documents/{document_id}/sign")
            expect(page.locator("main")).to_contain_text("Who will see it")
            page.get_by_role("button", name="I agree to sign electronically").click()
            page.get_by_label("Your full name").fill("Jamie Fields")
            page.get_by_label("I agree to sign this document electronically").check()
            page.get_by_role("button", name="Sign", exact=True).click()
            expect(page.locator("main")).to_contain_text("You signed")
        finally:
            context.close()
