"""Clients on the staff site: shared helpers and fixtures."""
from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal_app.audit import AuditEvent
from portal_app.clients.models import PRIMARY_CASE_MANAGER, Client
from portal_app.extensions import db
from tests import factories
from tests.factories import clients as client_factories
from tests.conftest import csrf_token

LIST = "/staff/clients"
NEW = "/staff/clients/new"
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CLIENT_FIELDS = ("first_name", "middle_name", "last_name", "date_of_birth", "phone", "email", "address", "zip_code",
                 "preferred_language", "part2_protected", "version_id")


def profile(client: Client) -> str:
    return f"/staff/clients/{client.id}"


def client_form(**overrides) -> dict:
    data = {"first_name": "Maria", "middle_name": "", "last_name": "Garcia", "date_of_birth": "1984-03-21",
            "phone": "(541) 555-0101", "email": "maria.garcia@example.org", "address": "1 Main St",
            "zip_code": "97401", "preferred_language": "es", "part2_protected": "y"}
    return {**data, **overrides}


def upload(http, client: Client, data: bytes, filename: str = "photo.png"):
    """Post the photo form. The body is encoded in memory: the test client spools big bodies to a
    temporary file it never closes (a ResourceWarning, an error here)."""
    url = f"{profile(client)}/photo"
    boundary, body = encode_multipart(
        {"csrf_token": csrf_token(http, url), "photo": FileStorage(io.BytesIO(data), filename)}
    )
    return http.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def audit_actions(client: Client) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.client_id == client.id)
                                   .order_by(AuditEvent.id)))


@pytest.fixture
def roster(agency, case_manager, supervisor):
    """Three clients of the agency (committed: refused requests roll back what was not)."""
    make = client_factories.client
    clients = {
        "maria": make(agency, first_name="Maria", last_name="Garcia", phone="(541) 555-0101",
                      email="maria@example.org", address="1 Main St", zip_code="97401", part2_protected=True,
                      care_team=((case_manager, PRIMARY_CASE_MANAGER), (supervisor, "Supervisor"))),
        "james": make(agency, first_name="James", last_name="Whitfield", phone="541.555.0102"),
        "ana": make(agency, first_name="Ana", last_name="Lopez", phone=""),
    }
    db.session.commit()
    return clients


@pytest.fixture
def staff(client, auth, people):
    """The test client signed in as the agency's case manager."""
    assert auth.login(people["case_manager"]).status_code == 302
    return client


@pytest.fixture
def outsider(client, auth, people):
    """The test client signed in as an administrator of another agency."""
    other = factories.user(factories.agency(), role="admin", email="admin@elsewhere.test")
    db.session.commit()
    assert auth.login(other).status_code == 302
    return client
