"""Second applications for tests that need something the shared `app` cannot give.

* `probe_app`: the real application plus a few test-only routes under each site's prefix, for
  outcomes no production route produces yet (a 403 page on every site, an endpoint that
  declares no permission). It shares the test database and the rolled-back test session; each
  of its requests ends its own app context, which closes that session, so a test commits
  (into the outer, rolled-back transaction) before it uses this app.
* `unreachable_database_app`: the real application pointed at a PostgreSQL port nobody listens
  on, for the 503 paths (R2, /readyz). Use it with `real_session(monkeypatch)` so the request
  goes through Flask-SQLAlchemy's own session and engine instead of the test connection.
"""
from __future__ import annotations

from flask import Flask, render_template_string

from portal_app import create_app
from portal_app.authz import Permission, requires
from portal_app.extensions import db

UNREACHABLE_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/caseport"
PROBE_SITES = ("staff", "partner", "portal", "kiosk", "links")


def _ok():
    return render_template_string("probe ok")


def probe_app(database_url: str) -> Flask:
    """The application with routes that answer 403 on every site."""
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url})
    for site in PROBE_SITES:
        # Declares nothing: deny by default must refuse it to everyone.
        app.add_url_rule(f"/{site}/_probe/undeclared", f"probe_{site}_undeclared", _ok)
    app.add_url_rule("/staff/_probe/admin-only", "probe_staff_admin_only",
                     requires(Permission.ADMIN_SETTINGS)(lambda: _ok()))
    app.add_url_rule("/partner/_probe/staff-only", "probe_partner_staff_only",
                     requires(Permission.STAFF_HOME)(lambda: _ok()))
    return app


def unreachable_database_app() -> Flask:
    return create_app("test", {"SQLALCHEMY_DATABASE_URI": UNREACHABLE_DATABASE})


def real_session(monkeypatch) -> None:
    """Swap the rolled-back test session for Flask-SQLAlchemy's own (restored after the test)."""
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
