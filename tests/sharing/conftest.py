"""Fixtures of the sharing domain tests: a client of the agency and audit helpers."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.extensions import db
from tests.sharing import factories as sf


@pytest.fixture
def a_client(agency):
    return sf.client(agency)


@pytest.fixture
def audit_actions():
    """The audit trail's actions, oldest first."""
    return lambda: list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
