"""Chromium, 360 px: a guardian (one family login for two children) gets a document for one child emailed to
them alone, signs in through the link, fills and signs it; staff countersign; the sealing pass runs; the
sealed PDF is on the staff Documents tab; the verify page confirms the downloaded file; the child's other
representative, from whom it is hidden, never sees it (portal home, list, direct URL -> 404)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import seeded_server
from tests.browser.test_portal_family import portal_sign_in
from tests.browser.test_sites_side_by_side import sign_in

PHONE = {"width": 360, "height": 740}


def _consent_emailed_to_the_guardian(people: dict) -> dict:
    """Riley's father gets his own portal login; a consent for Riley is emailed to the guardian alone."""
    from flask import current_app
    from sqlalchemy import select

    from portal_app.accounts.models import User
    from portal_app.clients.models import Client
    from portal_app.documents import emailed, workflow
    from portal_app.extensions import db
    from portal_app.portal_access.models import ClientAccess, PortalAccount
    from portal_app.tokens import make_token
    from tests import factories
    from tests.documents.documents_helpers import form

    admin = db.session.scalar(select(User).where(User.email == people["admin"]["email"]))
    manager = db.session.scalar(select(User).where(User.email == people["case_manager"]["email"]))
    riley = db.session.scalar(select(Client).where(Client.first_name == "Riley"))
    father = PortalAccount(username="rileysdad", email="dad@family.test", password_hash=factories._hash("x" * 12))
    db.session.add_all([father, ClientAccess(account=father, client=riley, relationship_kind="representative",
                                             relationship_label="father", can_sign=True)])
    guardian = db.session.scalar(select(ClientAccess).join(PortalAccount).where(
        PortalAccount.username == "guardian1", ClientAccess.client_id == riley.id))
    document = workflow.start_document(admin, riley, form(admin, "Consent for services").id)
    link = emailed.email_to_representative(manager, document, guardian.id)
    token = make_token(emailed.LINK_PURPOSE, {"l": link.id, "d": document.id, "n": link.nonce})
    db.session.commit()
    return {"app": current_app._get_current_object(), "document_id": document.id,
            "link": f"/links/documents/{document.id}/{token}", "father_password": "x" * 12}


@pytest.mark.browser
def test_a_guardian_signs_for_one_child_and_the_other_parent_never_sees_it(tmp_path, browser, own_database):
    with seeded_server(tmp_path, "one-child", _consent_emailed_to_the_guardian) as (server, seeded):
        base, doc_id = server.url, seeded["document_id"]
        phone = browser.new_context(viewport=PHONE)
        desk = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
        father = browser.new_context(viewport=PHONE)
        try:
            page = phone.new_page()
            page.goto(base + seeded["link"])  # the emailed link: on to sign-in, then that document
            expect(page).to_have_url(re.compile(r"/portal/login\?next="))
            page.get_by_label("Username").fill(server.people["guardian"]["username"])
            page.get_by_label("Password").fill(server.password)
            page.get_by_role("button", name="Sign in").click()
            expect(page).to_have_url(f"{base}/portal/documents/{doc_id}")
            expect(page.locator(".acting")).to_contain_text("Riley Stone")  # switched from Avery
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
            page.get_by_role("radio", name="Yes").check()
            page.get_by_role("button", name="Submit and go to signing").click()
            expect(page).to_have_url(f"{base}/portal/documents/{doc_id}/sign")
            page.get_by_role("button", name="I agree to sign electronically").click()
            expect(page.locator("main")).to_contain_text("You sign as mother, for Riley Stone")
            page.get_by_label("Your full name").fill("Dana Stone")
            page.get_by_label("I agree to sign this document electronically").check()
            page.get_by_role("button", name="Sign", exact=True).click()
            expect(page.locator("main")).to_contain_text("You signed")

            staff = desk.new_page()
            sign_in(staff, f"{base}/staff/login", server.people["case_manager"]["email"], server.password)
            staff.goto(f"{base}/staff/documents/{doc_id}")
            expect(staff.locator("main")).to_contain_text("Dana Stone, mother, for Riley Stone")
            staff.get_by_label("Your full name").fill("Casey Morgan")
            staff.get_by_label("I am signing this document electronically").check()
            staff.get_by_role("button", name="Countersign").click()
            expect(staff.locator("main")).to_contain_text("Completed")

            from portal_app.worker import run_document_sealing
            with seeded["app"].app_context():
                assert run_document_sealing() == 1  # the worker's pass (P5: never in a request)
            staff.goto(f"{base}/staff/clients/{_riley_id(seeded)}/documents")
            expect(staff.locator("main")).to_contain_text("Consent for services")
            staff.goto(f"{base}/staff/documents/{doc_id}")
            with staff.expect_download() as download:
                staff.get_by_role("link", name="Download PDF").click()
            pdf_path = tmp_path / "signed.pdf"
            download.value.save_as(pdf_path)

            verify = phone.new_page()
            verify.goto(f"{base}/links/verify")
            verify.get_by_label("Your PDF file").set_input_files(str(pdf_path))
            verify.get_by_role("button", name="Check the file").click()
            expect(verify.locator("h1")).to_have_text("Authentic and unchanged")
            expect(verify.locator("main")).to_contain_text("Dana Stone")

            dad = father.new_page()
            portal_sign_in(dad, base, "rileysdad", seeded["father_password"])
            expect(dad.locator("main")).not_to_contain_text("Consent for services")
            dad.goto(f"{base}/portal/documents")
            expect(dad.locator("main")).not_to_contain_text("Consent for services")
            for url in (f"/portal/documents/{doc_id}", f"/portal/documents/{doc_id}/sign",
                        f"/portal/documents/{doc_id}/pdf"):
                assert dad.goto(base + url).status == 404
            dad.goto(base + seeded["link"])  # even with the link in hand: a neutral refusal
            expect(dad.locator("main")).to_contain_text("cannot be opened with the account you signed in with")
            expect(dad.locator("main")).not_to_contain_text("Riley")
        finally:
            for context in (phone, desk, father):
                context.close()


def _riley_id(seeded: dict) -> int:
    from portal_app.documents.records import Document
    from portal_app.extensions import db

    with seeded["app"].app_context():
        return db.session.get(Document, seeded["document_id"]).client_id
