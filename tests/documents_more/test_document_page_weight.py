"""P1 on the portal's document pages: the list (not measured elsewhere; fill and sign are measured in
tests/sites/portal/test_documents.py) with many documents waiting and some completed."""
from __future__ import annotations

from portal_app.documents import workflow
from tests import factories as f
from tests.documents.documents_helpers import form
from tests.sites.page_weight import measure
from tests.sites.portal.helpers import portal_login


def _within_budget(w) -> None:
    assert w.html <= 15 * 1024 and w.css <= 10 * 1024 and w.own_js <= 5 * 1024 and w.requests <= 6, w
    assert w.total <= 40 * 1024, f"total {w.total} B"


def test_document_list_fits_the_phone_budget(client, people, capsys):
    admin = people["admin"]
    sam = f.client(admin.organization, first_name="Sam", last_name="Delgado")
    f.access(f.account("sam", full_name="Sam Delgado"), sam, "self")
    templates = [form(admin, name) for name in ("Intake form", "Consent for services", "Release of information")]
    for template in templates * 4:  # 12 waiting for the client
        document = workflow.start_document(admin, sam, template.id)
        workflow.send_to_portal(admin, document)
    portal_login(client, "sam")
    w = measure(client, "/portal/documents")
    with capsys.disabled():
        print(f"\nP1 portal documents list (12 waiting): HTML {w.html} B, CSS {w.css} B, own JS {w.own_js} B, "
              f"total {w.total} B gzip, {w.requests} requests")
    _within_budget(w)
    assert client.get("/portal/documents").get_data(as_text=True).count('href="/portal/documents/') >= 12
