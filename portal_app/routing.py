"""URL converters every route shares: ids in paths stay within what the database can store (R4)."""
from __future__ import annotations


from flask import Flask
from werkzeug.routing import IntegerConverter, Map

DB_INT_MAX = 2**63 - 1  # the largest id SQLite and PostgreSQL (bigint) hold


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` for database ids: 1 .. 2**63-1; anything else does not match the route (404, never 500)."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = 1, max: int | None = DB_INT_MAX,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Register the bounded converter as `int`, before any blueprint adds its rules."""
    app.url_map.converters["int"] = BoundedIntConverter
