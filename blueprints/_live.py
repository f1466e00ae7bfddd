"""Live dashboards, the view side: a background poll (htmx, with the X-Background-Poll header, which leaves the
session's idle clock alone: portal_app/sites.py) carries the version the page was drawn at in `?live=`; it is
answered 204 (htmx swaps nothing) while the version holds, else with the dashboard's fragment."""
from __future__ import annotations

from flask import current_app, request

from portal_app.sites import POLL_HEADER


def live_poll() -> str | None:
    """The version the polling page was drawn at; None when this request is not a live poll."""
    if request.headers.get("HX-Request") != "true" or request.headers.get(POLL_HEADER) != "1":
        return None
    return request.args.get("live", "")[:40]


def unchanged():
    """Nothing changed: no body, nothing swapped."""
    response = current_app.response_class(status=204)
    response.vary.add("HX-Request")
    return response
