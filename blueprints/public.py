"""The landing page and health checks."""
from flask import Blueprint, render_template
from sqlalchemy import text

from portal_app.accounts.models import Organization
from portal_app.authz import public
from portal_app.extensions import db
from portal_app.transactions import writes_on_get

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
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means not ready
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    try:
        # A write that touches no row, rolled back: refused by a read-only file, a read-only
        # transaction default or a hot standby, as a real request's writes would be.
        db.session.execute(text(f"UPDATE {Organization.__tablename__} SET id = id WHERE 1 = 0"))
    except Exception:
        return {"status": "unavailable", "database": "read-only"}, 503
    finally:
        db.session.rollback()
    return {"status": "ok", "database": "ok"}
