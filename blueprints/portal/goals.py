"""My goals: the open goals of the client the account acts for, read-only (staff set and close them)."""
from flask import abort, g, render_template

from portal_app.authz import Permission, can, requires
from portal_app.goals.queries import open_goals

from .._common import current_actor
from . import bp


@bp.get("/goals")
@requires(Permission.PORTAL_GOALS)
def goals():
    """The acted-for client's open goals, nearest target date first."""
    access = g.get("acting")
    if access is None or not can(current_actor(), Permission.PORTAL_GOALS, access):
        abort(404)
    return render_template("portal/goals/list.html", goals=open_goals(access.client), client=access.client)
