"""Column types shared by every domain."""
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Integer, TypeDecorator


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


def display_name_of(first_name: str, last_name: str) -> str:
    """How lists write a person: first and last name (also for rows read as plain columns)."""
    return f"{first_name} {last_name}"


def initials_of(first_name: str, last_name: str) -> str:
    return f"{first_name[:1]}{last_name[:1]}".upper()


class PersonName:
    """Name properties of a row with first_name, middle_name and last_name (staff users, clients)."""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)

    @property
    def display_name(self) -> str:
        return display_name_of(self.first_name, self.last_name)


class checked_per_row(FunctionElement):  # noqa: N801  (used like a SQL function)
    """An integer column compared row by row on SQLite (`col + 0` hides its index), plain elsewhere.

    SQLite has no statistics unless ANALYZE ran: for `organization_id = ?` it assumes few rows and starts
    there, visiting every client of the agency and sorting, where walking a list's order index and stopping
    at the page is cheap. PostgreSQL's planner knows better, so it gets the plain column.
    """

    type = Integer()
    inherit_cache = True


@compiles(checked_per_row)
def _checked_per_row(element: checked_per_row, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(checked_per_row, "sqlite")
def _checked_per_row_sqlite(element: checked_per_row, compiler, **kw) -> str:
    return f"({compiler.process(element.clauses, **kw)} + 0)"
