"""Client Portal Requests on the staff site: the tab, Send New Request (page without JavaScript, fragment
with htmx, dependent Predefined Names), a packet, accept/return/cancel, the received file (audited), the
Documents tab and profile showing the results, Document Categories admin, and the list's query count (P3)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.requests import portal_services, services
from portal_app.requests.models import PortalRequest, RequestBundle
from tests import factories
from tests.conftest import csrf_token
from tests.requests.helpers import (
    answers_for,
    category,
    gad7,
    grant_portal,
    png_bytes,
    portal_client,
)
from tests.sql import count_statements as count_queries


def html(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.fixture
def setting(client, auth, people):
    agency = people["admin"].organization
    grant_portal(people)
    person, account, access = portal_client(agency)
    template = gad7(people["admin"])
    ident = category(agency, "Identification")
    db.session.commit()
    assert auth.login(people["case_manager"]).status_code == 302
    return {"client": person, "account": account, "access": access, "template": template, "ident": ident}


def _post(client, url: str, data: dict, page: str, **kw):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)}, **kw)


def test_the_tab_and_an_empty_list(client, setting):
    person = setting["client"]
    url = f"/staff/clients/{person.id}/requests"
    assert f'href="{url}"' in html(client.get(f"/staff/clients/{person.id}"))
    page = html(client.get(url))
    assert "No requests yet" in page and "Send New Request" in page


def test_send_a_document_request_without_javascript(client, setting):
    person, ident = setting["client"], setting["ident"]
    new = f"/staff/clients/{person.id}/requests/new"
    page = html(client.get(new, query_string={"kind": "document"}))
    assert "Predefined Name" in page and "Driver&#39;s licence" in page and "Pay stub" in page  # every group
    page = html(client.get(new, query_string={"kind": "document", "category_id": ident.id},
                           headers={"HX-Request": "true"}))
    assert "Driver&#39;s licence" in page and "Pay stub" not in page  # the category's names only
    assert 'id="other_name"' not in page  # Other Name only once Other is chosen (htmx)
    page = html(client.get(new, query_string={"kind": "document", "category_id": ident.id, "name_id": "other"},
                           headers={"HX-Request": "true"}))
    assert 'id="other_name"' in page
    data = {"kind": "document", "category_id": str(ident.id), "name_id": "other", "other_name": ""}
    resp = _post(client, new, data, f"{new}?kind=document")
    assert resp.status_code == 422 and "Type the name of the document" in html(resp)
    resp = _post(client, new, {**data, "other_name": "Passport", "private": "y", "due_date": "2099-01-31"},
                 f"{new}?kind=document")
    assert resp.status_code == 302
    request = db.session.scalar(select(PortalRequest).where(PortalRequest.client_id == person.id))
    assert request.other_name == "Passport" and request.private and str(request.due_date) == "2099-01-31"
    page = html(client.get(f"/staff/clients/{person.id}/requests"))
    assert "Passport (Identification)" in page and "Private" in page and "Open" in page


def test_bad_input_gets_field_messages(client, setting):
    person = setting["client"]
    new = f"/staff/clients/{person.id}/requests/new"
    resp = _post(client, new, {"kind": "nonsense"}, new)
    assert resp.status_code == 422 and "Not a valid choice" in html(resp)
    resp = _post(client, new, {"kind": "assessment", "template_id": "999999"}, new)
    assert resp.status_code == 422 and "assessments your agency offers" in html(resp)
    resp = _post(client, new, {"kind": "location", "due_date": "31/31/2020"}, new)
    assert resp.status_code == 422


def test_htmx_send_answers_a_redirect_header(client, setting):
    person = setting["client"]
    new = f"/staff/clients/{person.id}/requests/new"
    resp = _post(client, new, {"kind": "location"}, new, headers={"HX-Request": "true"})
    assert resp.status_code == 204 and resp.headers["HX-Redirect"].endswith(f"/clients/{person.id}/requests")


def test_a_packet_shows_progress_and_results_then_return_and_accept(client, setting, people):
    s = setting
    person, ident = s["client"], s["ident"]
    packet = f"/staff/clients/{person.id}/requests/packet"
    data = {"title": "Intake packet", "template_id": str(s["template"].id), "doc1_category_id": str(ident.id),
            "doc1_name_id": str(ident.names[0].id), "location": "y"}
    assert _post(client, packet, data, packet).status_code == 302
    bundle = db.session.scalar(select(RequestBundle).where(RequestBundle.client_id == person.id))
    assessment, document, location = bundle.requests
    url = f"/staff/clients/{person.id}/requests"
    assert "0 of 3 done" in html(client.get(url))
    account, access = s["account"], s["access"]
    portal_services.fulfil_assessment(account, access, assessment,
                                      answers_for(assessment.document.template_version, 2), submit=True)
    portal_services.fulfil_document(account, access, document, [png_bytes()])
    portal_services.fulfil_location(account, access, location, "12 Oak Street")
    db.session.commit()
    page = html(client.get(url))
    assert "3 of 3 done" in page and "100 %" in page and "Score 14" in page and "12 Oak Street" in page
    assert f"/staff/requests/{document.id}/file" in page
    resp = _post(client, f"/staff/requests/{document.id}/return", {"reason": ""}, url)
    assert resp.status_code == 422 and "Say why you return it." in html(resp)
    assert _post(client, f"/staff/requests/{document.id}/return", {"reason": "Blurry photo"}, url).status_code == 302
    assert _post(client, f"/staff/requests/{location.id}/accept", {}, url).status_code == 302
    db.session.refresh(document)
    db.session.refresh(location)
    assert (document.status, document.return_reason, location.status) == ("returned", "Blurry photo", "accepted")
    profile = html(client.get(f"/staff/clients/{person.id}"))
    assert "Location from the client portal" in profile and "12 Oak Street" in profile
    docs = html(client.get(f"/staff/clients/{person.id}/documents"))
    assert "Received from the client portal" in docs and "Identification" in docs


def test_the_received_file_is_a_pdf_and_its_download_is_audited(client, setting, people):
    s = setting
    request = services.send_request(people["case_manager"], s["client"], {
        "kind": "document", "category_id": s["ident"].id, "name_id": str(s["ident"].names[1].id)})
    portal_services.fulfil_document(s["account"], s["access"], request, [png_bytes()])
    db.session.commit()
    resp = client.get(f"/staff/requests/{request.id}/file")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF-") and resp.mimetype == "application/pdf"
    assert "attachment" in resp.headers["Content-Disposition"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "portal_request.file_downloaded",
                                                      AuditEvent.object_id == str(request.id)))


def test_cancel(client, setting, people):
    request = services.send_request(people["case_manager"], setting["client"], {"kind": "location"})
    db.session.commit()
    url = f"/staff/clients/{setting['client'].id}/requests"
    assert _post(client, f"/staff/requests/{request.id}/cancel", {}, url).status_code == 302
    db.session.refresh(request)
    assert request.status == "cancelled"


def test_staff_without_the_client_portal_permission_see_no_requests(client, auth, setting, people):
    people["supervisor"].perm_client_portal = False
    db.session.commit()
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    assert auth.login(people["supervisor"]).status_code == 302
    url = f"/staff/clients/{setting['client'].id}"
    assert client.get(f"{url}/requests").status_code == 403
    assert "Client Portal Requests" not in html(client.get(url))


def test_admins_manage_document_categories(client, auth, people):
    assert auth.login(people["admin"]).status_code == 302
    url = "/staff/admin/document-categories"
    page = html(client.get(url))
    assert "No categories yet" in page
    resp = _post(client, url, {"category-name": ""}, url)
    assert resp.status_code == 422
    assert _post(client, url, {"category-name": "Medical", "category-name_es": "Médico"}, url).status_code == 302
    cat = category_of(people["admin"].organization, "Medical")
    assert _post(client, f"{url}/{cat.id}/names", {"name-name": "Vaccination record"}, url).status_code == 302
    resp = _post(client, f"{url}/{cat.id}/names", {"name-name": "vaccination record"}, url)
    assert resp.status_code == 422  # already in the list
    assert "Vaccination record" in html(client.get(url))


def category_of(agency, name):
    from portal_app.requests.models import DocumentCategory

    return db.session.scalar(select(DocumentCategory).where(DocumentCategory.organization_id == agency.id,
                                                            DocumentCategory.name == name))


def _many(people, person, n: int) -> None:
    ident = category(person.organization, "Identification")
    for i in range(n):
        kind = ("location", "document")[i % 2]
        data = {"kind": kind, "category_id": ident.id, "name_id": str(ident.names[i % 4].id)}
        services.send_request(people["case_manager"], person, data)
    db.session.commit()


def test_the_requests_page_costs_the_same_at_10_and_100_requests(client, setting, people):
    person = setting["client"]
    url = f"/staff/clients/{person.id}/requests"
    _many(people, person, 10)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _many(people, person, 90)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), (len(small), len(large))
    assert len(small) <= 20


def test_other_agency_staff_get_404(client, auth, setting):
    other = factories.user(factories.agency(), role="admin", perm_client_portal=True)
    db.session.commit()
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    assert auth.login(other).status_code == 302
    assert client.get(f"/staff/clients/{setting['client'].id}/requests").status_code == 404
