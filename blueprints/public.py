"""The landing page and health checks."""
from flask import Blueprint, render_template

from portal_app.accounts.models import Organization
from portal_app.authz import public
from portal_app.transactions import database_state, writes_on_get

bp = Blueprint("public", __name__)


@bp.get("/")
@public
def landing():
    """A small page pointing to the four sites."""
    return render_template("public/landing.html")


@bp.get("/healthz")
@public
def healthz():
    """Liveness: the process answers."""
    return {"status": "ok"}


@bp.get("/readyz")
@public
@writes_on_get  # its probe is a write (rolled back)
def readyz():
    """Readiness: the database answers and accepts writes (every signed-in page writes the audit trail)."""
    state = database_state(Organization.__tablename__)
    if state != "ok":
        return {"status": "unavailable", "database": state}, 503
    return {"status": "ok", "database": "ok"}
