"""Lists walk their order index on SQLite too (P6), whatever statistics the database has."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from portal_app.clients.models import Client
from portal_app.db_types import checked_per_row


def _sql(stmt, dialect) -> str:
    return " ".join(str(stmt.compile(dialect=dialect)).split())


def test_sqlite_checks_the_agency_per_row_postgresql_keeps_the_column() -> None:
    """SQLite without ANALYZE would start at every client of the agency (inbox, Needs Review at 10k: 0.1-0.7 s)."""
    stmt = select(Client.id).where(checked_per_row(Client.organization_id) == 7)
    assert "WHERE (client.organization_id + 0) = ?" in _sql(stmt, sqlite.dialect())
    assert "WHERE client.organization_id = %(param_1)s" in _sql(stmt, postgresql.dialect())
