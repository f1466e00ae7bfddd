"""Issue 11 item 6, continued: a draft emailed to ONE representative stays theirs only, also against a
representative added to the client after the email (a new account by invitation, or an existing account
accepting one): no list row, no count, 404 by URL, no email; the chosen person and the client still see it.
A document sent to the whole portal is not hidden from the newcomer."""
from __future__ import annotations

from sqlalchemy import select

from portal_app.documents import workflow
from portal_app.documents.portal_documents import portal_documents
from portal_app.extensions import db
from portal_app.portal_access import registration
from portal_app.portal_access.models import ClientAccess, HiddenItem
from tests import factories as f
from tests.documents_more import test_email_one_representative as emailing
from tests.factories import PORTAL_PASSWORD
from tests.sites.portal.helpers import portal_login, portal_post

family = emailing.family  # the fixture: Sam, Ana (mother, also Lucia's), Luis (father), Sam's own account, 2 drafts
_email = emailing._email  # staff email the document to one of them (Ana by default)


def _invite_new_account(family, username: str) -> ClientAccess:
    invitation = f.invitation(family["sam"], family["people"]["admin"], email=f"{username}@example.test",
                              relationship="representative", label="grandmother", can_sign=True)
    account = registration.register_account(invitation, full_name="Rosa Delgado", username=username,
                                            password=PORTAL_PASSWORD, email=f"{username}@example.test")
    db.session.commit()
    return db.session.scalar(select(ClientAccess).where(ClientAccess.account_id == account.id))


def _documents(access) -> list:
    """What the portal lists (and counts) for this access: waiting and completed."""
    waiting, completed = portal_documents(access)
    return waiting + completed


def _sees(app, username: str, document) -> dict[str, bool]:
    client = app.test_client()  # a browser of this person's own
    assert portal_login(client, username).status_code == 302
    portal_post(client, "/portal/acting-for", {"client_id": document.client_id}, token_from="/portal/switch")
    url = f"/portal/documents/{document.id}"
    return {"home": url in client.get("/portal/").get_data(as_text=True),
            "list": url in client.get("/portal/documents").get_data(as_text=True),
            "page": client.get(url).status_code == 200}


def test_a_representative_added_after_the_email_does_not_see_the_document(app, client, auth, family):
    document, other = family["document"], family["other"]
    assert _email(client, auth, family).status_code == 302  # to Ana, the mother
    workflow.send_to_portal(family["people"]["admin"], other)  # the other one goes to the whole portal
    db.session.commit()
    rosa = _invite_new_account(family, "rosa")

    waiting, completed = portal_documents(rosa)
    assert document not in waiting + completed and other in waiting  # the count is of these
    assert [a.username for a in workflow.portal_recipients(document)].count("rosa") == 0
    assert "rosa" in [a.username for a in workflow.portal_recipients(other)]
    row = db.session.scalar(select(HiddenItem).where(HiddenItem.access_id == rosa.id))
    assert (row.item_type, row.item_id, row.hidden_by_id) == ("document", document.id,
                                                              family["people"]["case_manager"].id)

    assert _sees(app, "rosa", document) == {"home": False, "list": False, "page": False}
    assert _sees(app, "rosa", other)["list"]
    assert _sees(app, "ana", document) == {"home": True, "list": True, "page": True}
    assert _sees(app, "sam", document)["list"]  # the client themself


def test_an_existing_account_accepting_an_invitation_later_does_not_see_it_either(client, auth, family):
    document = family["document"]
    assert _email(client, auth, family).status_code == 302
    tia = f.account("tia", full_name="Teresa Delgado", email="tia@example.test")
    f.access(tia, family["lucia"], label="aunt")  # Lucia's aunt already; now Sam's too
    invitation = f.invitation(family["sam"], family["people"]["admin"], email="tia@example.test",
                              relationship="representative", label="aunt")
    access = registration.accept_with_existing_account(invitation, tia)
    db.session.commit()
    assert document not in _documents(access)
    assert db.session.scalar(select(HiddenItem.id).where(HiddenItem.access_id == access.id,
                                                         HiddenItem.item_id == document.id)) is not None
    assert document not in _documents(family["father"])  # hidden from at the email
    assert document in _documents(family["mother"])


def test_a_new_access_of_the_client_themself_is_never_hidden_from(client, auth, family, people):
    document = family["document"]
    assert _email(client, auth, family).status_code == 302
    family["own"].revoked_at = document.sent_at  # Sam's old account closed; he is invited again
    db.session.flush()
    invitation = f.invitation(family["sam"], people["admin"], email="sam2@example.test", relationship="self")
    account = registration.register_account(invitation, full_name="Sam Delgado", username="sam2",
                                            password=PORTAL_PASSWORD, email="sam2@example.test")
    access = db.session.scalar(select(ClientAccess).where(ClientAccess.account_id == account.id))
    assert document in _documents(access)
