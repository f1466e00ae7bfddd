"""P1 on the portal request pages: the list (a packet and ten more requests) and each fulfil page stay
inside the phone budget (HTML <= 15 KB, CSS <= 10 KB, own JS <= 5 KB, <= 6 requests), gzip on the wire."""
from __future__ import annotations

import pytest

from portal_app.extensions import db
from portal_app.requests import services
from tests.requests.helpers import category, gad7, grant_portal, portal_client
from tests.sites.page_weight import measure
from tests.sites.portal.helpers import portal_login

KB = 1024


@pytest.fixture
def asked(people):
    agency = people["admin"].organization
    agency.phone = "541-555-0100"
    grant_portal(people)
    person, _account, _access = portal_client(agency, username="weigher")
    ident = category(agency, "Identification")
    cm = people["case_manager"]
    bundle = services.send_bundle(cm, person, "Intake packet", [
        {"kind": "assessment", "template_id": gad7(people["admin"]).id},
        {"kind": "document", "category_id": ident.id, "name_id": str(ident.names[0].id)},
        {"kind": "location"}])
    for n in range(10):
        services.send_request(cm, person, {"kind": "document", "category_id": ident.id, "name_id": "other",
                                           "other_name": f"Letter from the landlord number {n}"})
    db.session.commit()
    return {r.kind: r.id for r in bundle.requests}


@pytest.mark.parametrize("page", ["list", "assessment", "document", "location", "cant"])
def test_request_pages_within_budget(client, asked, page):
    assert portal_login(client, "weigher").status_code == 302
    url = {"list": "/portal/requests", "assessment": f"/portal/requests/{asked['assessment']}/assessment",
           "document": f"/portal/requests/{asked['document']}/document",
           "location": f"/portal/requests/{asked['location']}/location",
           "cant": f"/portal/requests/{asked['document']}/cant"}[page]
    w = measure(client, url)
    print(f"P1 {url}: html {w.html} B, css {w.css} B, own js {w.own_js} B, total {w.total} B, {w.requests} requests")
    assert w.html <= 15 * KB, f"HTML {w.html} B"
    assert w.css <= 10 * KB, f"CSS {w.css} B"
    assert w.own_js <= 5 * KB, f"own JS {w.own_js} B"
    assert w.total <= 40 * KB, f"total {w.total} B"
    assert w.requests <= 6, w.assets
