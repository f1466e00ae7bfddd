"""Item 3: the plain-language card before signing is worded per template version (English and Spanish) in
Account Administration › Forms; empty parts show the standard sentence; a published version's card is frozen."""
from __future__ import annotations

import pytest

from portal_app.documents import services as forms
from portal_app.documents import workflow
from portal_app.documents.models import FrozenVersion
from portal_app.extensions import db
from tests import factories as f
from tests.conftest import csrf_token
from tests.documents.documents_helpers import CONSENT_ANSWERS, form
from tests.sites.portal.helpers import portal_login, portal_post

WHAT_EN = "Your agreement to take part in the Tuesday group sessions."
WHAT_ES = "Su acuerdo para participar en las sesiones de grupo de los martes."


@pytest.fixture
def consent_v2(client, auth, admin):
    """The demo consent, version 2 worded by the admin through the settings page (what it is, EN and ES)."""
    template = form(admin, "Consent for services")
    draft = forms.start_draft(admin, template)
    auth.login(admin)
    url = f"/staff/admin/forms/{template.id}/versions/{draft.number}/settings"
    page = client.get(url).get_data(as_text=True)
    assert "The card shown before signing" in page and "What this document is (Spanish)" in page
    data = {"csrf_token": csrf_token(client, url), "version_id": str(draft.version_id), "fillable_portal": "y",
            "representative_may_sign": "y", "card_what_en": WHAT_EN, "card_what_es": WHAT_ES}
    too_long = client.post(url, data={**data, "card_who_es": "x" * 1001})
    assert too_long.status_code == 422 and 'id="card_who_es-error"' in too_long.get_data(as_text=True)
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(draft)
    assert draft.card == {"what": {"en": WHAT_EN, "es": WHAT_ES}}
    assert WHAT_ES in client.get(url).get_data(as_text=True)  # shown again for editing
    forms.publish(admin, template, draft, draft.version_id)
    return template, draft


def test_signing_page_shows_the_versions_card_with_defaults_elsewhere(client, consent_v2, admin):
    template, version = consent_v2
    sam = f.client(admin.organization, first_name="Sam", last_name="Delgado")
    account = f.access(f.account("sam"), sam, "self").account
    document = workflow.start_document(admin, sam, template.id)
    assert document.template_version_id == version.id
    workflow.send_to_portal(admin, document)
    workflow.save_answers(account, document, CONSENT_ANSWERS, submit=True)
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    portal_login(client, "sam")
    sign = f"/portal/documents/{document.id}/sign"
    english = client.get(sign).get_data(as_text=True)
    assert WHAT_EN in english and "a form from" not in english  # this part is worded by the form
    assert "your care team at" in english  # "who will see it" was left empty: the standard sentence
    portal_post(client, "/portal/language", {"lang": "es", "next": "/portal/"}, token_from="/portal/")
    spanish = client.get(sign).get_data(as_text=True)
    assert WHAT_ES in spanish and WHAT_EN not in spanish


def test_a_published_versions_card_never_changes_and_new_drafts_copy_it(consent_v2, admin):
    template, version = consent_v2
    draft = forms.start_draft(admin, template)
    assert draft.card == version.card
    version.card = {"what": {"en": "Changed"}}
    with pytest.raises(FrozenVersion):
        db.session.flush()
