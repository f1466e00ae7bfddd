"""Chromium, 360 px, JavaScript off: someone holding a Caseport PDF checks it on /links/verify."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import seeded_server


def _sealed_pdf(tmp_path):
    """A document sealed and recorded in the live server's database; its file and a changed copy on disk."""

    def seed(_people):
        from portal_app.accounts.models import Organization
        from portal_app.documents.sealed import produce_sealed_pdf, read_sealed_pdf
        from portal_app.extensions import db
        from tests.documents.factories import sample_document

        agency = db.session.query(Organization).filter_by(kind="agency").first()
        row = produce_sealed_pdf(agency, sample_document(answers=[("Do you agree?", "Yes")]))
        data = read_sealed_pdf(row)
        db.session.commit()
        (tmp_path / "consent.pdf").write_bytes(data)
        changed = bytearray(data)
        changed[len(data) // 3] ^= 0x01
        (tmp_path / "consent-changed.pdf").write_bytes(bytes(changed))
        return row.verification_code

    return seed


@pytest.mark.browser
def test_a_landlord_checks_a_pdf_on_a_phone_without_javascript(browser, tmp_path):
    with seeded_server(tmp_path, "verify", _sealed_pdf(tmp_path)) as (server, code):
        context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
        try:
            page = context.new_page()
            page.goto(f"{server.url}/links/verify")
            page.screenshot(path=str(tmp_path / "verify-form.png"), full_page=True)
            page.get_by_label("Your PDF file").set_input_files(str(tmp_path / "consent.pdf"))
            page.get_by_role("button", name="Check the file").click()
            expect(page.locator("h1")).to_have_text("Authentic and unchanged")
            expect(page.locator("main")).to_contain_text("Ana Delgado, mother, for Sam Delgado")
            expect(page.locator("main")).to_contain_text(code)
            page.screenshot(path=str(tmp_path / "verify-authentic.png"), full_page=True)

            page.get_by_role("link", name="Check another document").click()
            page.get_by_label("Your PDF file").set_input_files(str(tmp_path / "consent-changed.pdf"))
            page.get_by_role("button", name="Check the file").click()
            expect(page.locator("h1")).to_have_text("This file was changed after it was signed")

            page.goto(f"{server.url}/links/verify")
            page.get_by_label("Verification code").fill(code.lower().replace("-", " "))
            page.get_by_role("button", name="Look up the code").click()
            expect(page.locator("h1")).to_have_text("This code belongs to a Caseport document")

            page.goto(f"{server.url}/links/verify")
            page.get_by_label("Your PDF file").set_input_files(
                {"name": "photo.pdf", "mimeType": "application/pdf", "buffer": b"GIF89a not a pdf"})
            page.get_by_role("button", name="Check the file").click()
            expect(page.locator("#document-error")).to_have_text(
                "This file is not a PDF. Choose the PDF document you received.")
        finally:
            context.close()
