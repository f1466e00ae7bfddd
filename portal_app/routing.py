"""URL converters every route shares: ids in paths stay within what the database can store (R4); row URLs."""
from __future__ import annotations

from flask import Flask, current_app, request, url_for
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


# A placeholder id: the largest the `int` converter accepts, so url_for builds the rule with it.
_PLACEHOLDER = DB_INT_MAX
_ID_URLS = "caseport_id_urls"


def id_url(endpoint: str, key: str, value: int) -> str:
    """`url_for(endpoint, **{key: value})` for a list's rows: the rule is built once per process, then each
    row's id is put in it (werkzeug's URL building cost a list page 25 builds of about 15 µs each).

    Only for endpoints whose one argument is an `int` id; relative URLs, as url_for builds them.
    """
    cache = current_app.extensions.setdefault(_ID_URLS, {})
    found = cache.get((endpoint, key, request.script_root))
    if found is None:
        head, sep, tail = url_for(endpoint, **{key: _PLACEHOLDER}).partition(str(_PLACEHOLDER))
        if not sep:
            raise ValueError(f"{endpoint} does not take {key} in its path")
        found = cache[(endpoint, key, request.script_root)] = (head, tail)
    return f"{found[0]}{int(value)}{found[1]}"
