"""Sharing pages on the staff site: shared helpers and fixtures."""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import func, select

from portal_app.audit import AuditEvent
from portal_app.extensions import db
from tests import factories as sf
from tests.conftest import csrf_token

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HTMX = {"HX-Request": "true"}
VERSION_RE = re.compile(r'name="version_id" type="hidden" value="(\d*)"')
OOB_COUNTER_RE = re.compile(r'<span id="needs-review-count" class="badge badge-count" hx-swap-oob="true">'
                            r'(\d+)<span class="vh">[^<]*</span></span>')


def html(resp) -> str:
    return resp.get_data(as_text=True)


def path_of(resp) -> str:
    return urlsplit(resp.headers["Location"]).path


def count(model, *where) -> int:
    return db.session.scalar(select(func.count(model.id)).where(*where))


def audit_rows(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def post(http, url: str, data: dict | None = None, *, page: str = "/staff/", headers: dict | None = None):
    """POST with the CSRF token of a staff page, as the browser would."""
    return http.post(url, data={**(data or {}), "csrf_token": csrf_token(http, page)}, headers=headers)


@pytest.fixture
def record(people, partner_org):
    """A client on the case manager's care team, with the partner on its plan and a third-party contact
    awaiting review (committed)."""
    person = sf.client(people["admin"].organization, first_name="Marisol", last_name="Quintero",
                       phone="541-555-0199", date_of_birth=date(1990, 4, 17))
    sf.care_team(person, people["case_manager"])
    provider = sf.provider(person, partner_org, service="Counseling", added_by=people["case_manager"])
    pending = sf.contact(person, people["partner"], notes="Attended group.\nSecond line.")
    db.session.commit()
    return {"client": person, "provider": provider, "contact": pending}


@pytest.fixture
def staff(client, auth, people, record):
    """The test client signed in as the case manager (the record exists first)."""
    assert auth.login(people["case_manager"]).status_code == 302
    return client


def pages(record) -> dict[str, str]:
    c, contact = record["client"].id, record["contact"].id
    return {"plan": f"/staff/clients/{c}/plan", "share": f"/staff/clients/{c}/share", "log": f"/staff/clients/{c}/log",
            "contact": f"/staff/contacts/{contact}", "edit": f"/staff/contacts/{contact}/edit"}
