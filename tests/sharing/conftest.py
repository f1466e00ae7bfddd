"""Fixtures of the sharing domain tests: a client of the agency and audit helpers."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.extensions import db
from tests import factories as sf


@pytest.fixture
def a_client(agency):
    """A client with a phone and a date of birth (what must never reach an email, S14)."""
    return sf.client(agency, phone="541-555-0199", date_of_birth=date(1990, 4, 17))


@pytest.fixture
def audit_actions():
    """The audit trail's actions, oldest first."""
    return lambda: list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
