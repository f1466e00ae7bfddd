"""Hiding a request from one representative hides the form it sent to the portal (the ROI form) from that
representative too: their Documents list, the home page's "Documents waiting for you", the request count, and
the form's own URLs answer 404; the client and the other representative still see both. Showing the request
again shows both."""
from __future__ import annotations

import pytest

from portal_app.extensions import db
from portal_app.requests import services
from portal_app.requests.models import ITEM_TYPE
from tests import factories
from tests.conftest import csrf_token
from tests.requests.helpers import grant_portal, portal_client
from tests.roi.helpers import roi_form
from tests.sites.portal.helpers import portal_login



@pytest.fixture
def family(app, agency, admin, case_manager, supervisor):
    """Maria (her own account), her mother and her father acting for her; an ROI request sent (committed)."""
    grant_portal({"admin": admin, "supervisor": supervisor, "case_manager": case_manager})
    client, _account, _access = portal_client(agency)
    mother = factories.access(factories.account("mother", email="mother@example.test"), client, label="mother")
    factories.access(factories.account("father", email="father@example.test"), client, label="father")
    roi_form(admin)
    request = services.send_request(case_manager, client, {"kind": "roi"})
    db.session.commit()
    return {"client": client, "mother": mother, "request": request, "document": request.document}


def _portal(app, username: str):
    browser = app.test_client()
    assert portal_login(browser, username).status_code == 302
    return browser


@pytest.fixture
def staff(client, auth, case_manager, family):
    """The case manager, signed in on the staff site (Client Portal Manager)."""
    assert auth.login(case_manager).status_code == 302
    return client


def _change(client, family, action: str) -> None:
    person, access = family["client"], family["mother"]
    page = f"/staff/clients/{person.id}/portal"
    resp = client.post(f"/staff/clients/{person.id}/portal/accesses/{access.id}/{action}",
                       data={"item_type": ITEM_TYPE, "item_id": str(family["request"].id),
                             "csrf_token": csrf_token(client, page)})
    assert resp.status_code == 302


def _sees(browser, document_id: int) -> dict[str, bool]:
    listing = browser.get("/portal/documents").get_data(as_text=True)
    home = browser.get("/portal/").get_data(as_text=True)
    requests = browser.get("/portal/requests").get_data(as_text=True)
    return {
        "list": f"/portal/documents/{document_id}" in listing,
        "home": "Documents waiting for you" in home and f"/portal/documents/{document_id}" in home,
        "requests": 'id="request-' in requests,  # the family's one request, as a row of the Requests page
        "fill": browser.get(f"/portal/documents/{document_id}").status_code == 200,
        "sign": browser.get(f"/portal/documents/{document_id}/sign").status_code in (200, 302),
    }


ALL = {"list": True, "home": True, "requests": True, "fill": True, "sign": True}
NONE = dict.fromkeys(ALL, False)


def test_hiding_an_roi_request_hides_its_form_from_that_representative_only(app, staff, family):
    doc_id = family["document"].id
    mother, father, maria = _portal(app, "mother"), _portal(app, "father"), _portal(app, "maria")
    assert _sees(mother, doc_id) == ALL  # before: everyone sees the request and its form

    _change(staff, family, "hide")
    assert _sees(mother, doc_id) == NONE
    assert mother.get(f"/portal/documents/{doc_id}").status_code == 404
    assert mother.get(f"/portal/documents/{doc_id}/sign").status_code == 404
    assert mother.get(f"/portal/requests/{family['request'].id}/roi").status_code == 404
    assert _sees(father, doc_id) == ALL and _sees(maria, doc_id) == ALL

    _change(staff, family, "show")
    assert _sees(mother, doc_id) == ALL


def test_the_form_is_hidden_and_shown_with_the_request(staff, family):
    from portal_app.documents.records import ITEM_TYPE as DOCUMENT
    from portal_app.portal_access.models import HiddenItem

    _change(staff, family, "hide")
    rows = {(h.item_type, h.item_id) for h in db.session.query(HiddenItem).filter_by(access_id=family["mother"].id)}
    assert rows == {(ITEM_TYPE, family["request"].id), (DOCUMENT, family["document"].id)}
    _change(staff, family, "show")
    assert db.session.query(HiddenItem).filter_by(access_id=family["mother"].id).count() == 0
