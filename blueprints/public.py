"""The landing page and health checks."""
from flask import Blueprint, render_template
from sqlalchemy import text

from portal_app.authz import public
from portal_app.extensions import db

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
def readyz():
    """Readiness: the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means not ready
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
