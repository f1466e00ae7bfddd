"""Item 6 of the remaining work: two staff members fill the same document; the second save, made on the
version they opened, gets a 409 with a clear message and their answers shown again (nothing lost)."""
from __future__ import annotations

import re

from portal_app.documents import workflow
from portal_app.extensions import db
from tests import factories as f
from tests.conftest import csrf_token
from tests.documents.documents_helpers import form

VERSION_RE = re.compile(r'name="document_version" value="(\d+)"')


def _opened(client, url):
    html = client.get(url).get_data(as_text=True)
    return csrf_token(client, url), VERSION_RE.search(html).group(1)


def test_second_save_on_a_stale_version_is_409_with_the_answers_kept(app, auth, people):
    staff = people["case_manager"]
    document = workflow.start_document(staff, f.client(staff.organization), form(people["admin"], "Consent for services").id)
    url = f"/staff/documents/{document.id}/fill"
    first, second = app.test_client(), app.test_client()
    type(auth)(first).login(people["case_manager"])
    type(auth)(second).login(people["supervisor"])
    token_1, version_1 = _opened(first, url)
    token_2, version_2 = _opened(second, url)
    assert version_1 == version_2
    saved = first.post(url, data={"csrf_token": token_1, "document_version": version_1, "action": "save",
                                  "questions": "From the first person"})
    assert saved.status_code == 302
    stale = second.post(url, data={"csrf_token": token_2, "document_version": version_2, "action": "save",
                                   "questions": "From the second person"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Someone else saved answers to this document" in html
    assert "From the second person" in html  # nothing typed is lost
    db.session.refresh(document)
    assert document.answers["questions"] == "From the first person"
    new_version = VERSION_RE.search(html).group(1)
    assert new_version != version_2
    again = second.post(url, data={"csrf_token": token_2, "document_version": new_version, "action": "save",
                                   "questions": "From the second person"})
    assert again.status_code == 302
    db.session.refresh(document)
    assert document.answers["questions"] == "From the second person"
