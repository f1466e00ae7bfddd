"""Per-request work that does not depend on the page (issue 8, QUALITY P4): done once per process, not per request."""
from __future__ import annotations

from babel import support
from flask import url_for

from portal_app.routing import id_url


def test_a_page_with_a_form_reads_no_message_catalogue_after_the_first(world, auth, monkeypatch):
    """Flask-WTF's catalogue is loaded once per language: it was read from disk on every page with a form."""
    auth.login(world["sup"])
    url = f"/staff/messages/{world['conversation'].id}"  # Send Response: a form with unlabelled hidden fields
    assert auth.client.get(url).status_code == 200
    loads = []
    real_load = support.Translations.load.__func__
    monkeypatch.setattr(support.Translations, "load",
                        classmethod(lambda cls, *a, **k: loads.append(a) or real_load(cls, *a, **k)))
    for _ in range(3):
        page = auth.client.get(url)
        assert page.status_code == 200 and 'name="csrf_token"' in page.get_data(as_text=True)
    assert loads == []


def test_row_urls_are_what_url_for_builds(app, world):
    """The rows' links (client list, client log, inbox, partner and portal lists) are url_for's, id for id."""
    cases = [("staff.client_profile", "client_id"), ("staff.contact_detail", "contact_id"),
             ("staff.client_log", "client_id"), ("staff.message_detail", "conversation_id"),
             ("partner.clients_detail", "client_id"), ("partner.clients_photo", "client_id"),
             ("partner.contacts_edit", "contact_id"), ("portal.messages_conversation", "conversation_id")]
    for script_root in ("", "/caseport"):
        with app.test_request_context("/staff/", base_url=f"http://localhost{script_root}/"):
            for endpoint, key in cases:
                for value in (1, 42, 2**63 - 1):
                    assert id_url(endpoint, key, value) == url_for(endpoint, **{key: value})
                    assert id_url(endpoint, key, value).startswith(f"{script_root}/")
