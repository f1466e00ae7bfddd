"""People I'm Helping (issue 14 item 7): the staff member's seekers, searched by name, each with their referrals'
statuses; the list follows changes live (blueprints/_live.py)."""
from __future__ import annotations

from flask import render_template, request

from portal_app.authz import Permission, requires
from portal_app.referrals import dashboards

from .._common import current_actor
from .._live import live_poll, unchanged
from . import bp

MAX_Q = 200


@bp.get("/referrals/people")
@requires(Permission.STAFF_REFERRALS)
def people_helping():
    """Seekers with a referral the staff member sent (or their agency's, with team sharing), by name."""
    actor, q, page, seen = current_actor(), request.args.get("q", "")[:MAX_Q].strip(), request.args.get("page", 1), \
        live_poll()
    version = dashboards.people_version(actor, q, page)
    if seen == version:
        return unchanged()
    context = {"q": q, "live_version": version, "seekers": dashboards.people_helping(actor, q, page)}
    if request.htmx and not request.htmx.history_restore_request:
        return render_template("staff/_partials/people_helping.html", **context), 200, {"Vary": "HX-Request"}
    return render_template("staff/referrals/people.html", **context), 200, {"Vary": "HX-Request"}
