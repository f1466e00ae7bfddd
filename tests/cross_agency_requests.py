"""The cross-agency cases of the requests endpoints (issue 13), for tests/test_cross_agency_matrix.py:
agency A's requests and document categories, built on demand from the matrix's world."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from portal_app.extensions import db
from portal_app.files import store_bytes

World = Any


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _a_request(w: World, kind: str = "location"):
    """A request of agency A's client, fulfilled (a document request holds a received file)."""
    from portal_app.requests.models import PortalRequest

    key = f"request_{kind}"
    if key not in w.a:
        request = PortalRequest(client=w.a["client"], kind=kind, status="fulfilled",
                                requested_by_id=w.a["case_manager"].id)
        if kind == "document":
            request.received_file = store_bytes(b"%PDF-1.4\n%%EOF\n", "application/pdf", "a.pdf")
        db.session.add(request)
        db.session.flush()
        w.a[key] = request
    return w.a[key]


def _a_category(w: World):
    from portal_app.requests.categories import install_defaults

    if "category" not in w.a:
        w.a["category"] = next(c for c in install_defaults(w.a["agency"].id) if c.names)
    return w.a["category"]


REQUEST_PATH_CASES = {
    "staff.client_requests_page": [lambda w: ({"client_id": w.a["client"].id}, {})],
    "staff.request_new": [lambda w: ({"client_id": w.a["client"].id}, {"kind": "location"})],
    "staff.request_packet": [lambda w: ({"client_id": w.a["client"].id}, {"title": "Taken", "location": "y"})],
    "staff.request_accept": [lambda w: ({"request_id": _a_request(w).id}, {})],
    "staff.request_cancel": [lambda w: ({"request_id": _a_request(w).id}, {})],
    "staff.request_return": [lambda w: ({"request_id": _a_request(w).id}, {"reason": "Taken over"})],
    "staff.request_file": [lambda w: ({"request_id": _a_request(w, "document").id}, {})],
    "staff.admin_document_name_add": [lambda w: ({"category_id": _a_category(w).id}, {"name-name": "Taken"})],
    "staff.admin_document_category_archive": [lambda w: ({"category_id": _a_category(w).id}, {})],
    "staff.admin_document_name_archive": [lambda w: ({"name_id": _a_category(w).names[0].id}, {})],
    "portal.request_assessment": [lambda w: ({"request_id": _a_request(w, "assessment").id}, {"action": "save"})],
    "portal.request_document": [lambda w: ({"request_id": _a_request(w, "document").id}, {"action": "add"})],
    "portal.request_location": [lambda w: ({"request_id": _a_request(w).id}, {"address": "Taken"})],
    "portal.request_cant": [lambda w: ({"request_id": _a_request(w).id}, {"reason": "lost"})],
    "portal.request_roi": [lambda w: ({"request_id": _a_request(w, "roi").id}, {})],
}


def _no_requests(w: World) -> Callable[[], bool]:
    from portal_app.requests.models import PortalRequest

    return lambda: _count(PortalRequest, PortalRequest.client_id == w.b["client"].id) == 0


REQUEST_FORM_CASES = {
    "staff.request_new": lambda w: ({"client_id": w.b["client"].id}, {
        "kind": "document", "category_id": str(_a_category(w).id), "name_id": str(_a_category(w).names[0].id)},
        _no_requests(w)),
    "staff.request_packet": lambda w: ({"client_id": w.b["client"].id}, {
        "title": "Taken", "doc1_category_id": str(_a_category(w).id),
        "doc1_name_id": str(_a_category(w).names[0].id)}, _no_requests(w)),
    "staff.request_mass_new": lambda w: ({}, {"client_ids": [str(w.a["client"].id)], "kind": "location"},
                                         _no_mass_requests),
}


def _no_mass_requests() -> bool:
    from portal_app.messaging.models import MassSend

    return _count(MassSend, MassSend.request_spec.is_not(None)) == 0
