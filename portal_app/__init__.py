"""Caseport: one Flask application serving the staff, partner, portal and kiosk sites."""
from __future__ import annotations

import importlib
import os
from pathlib import Path

from flask import Flask
from htmx_flask import Htmx
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from . import audit, passwords, transactions
from .extensions import csrf, db, limiter, login_manager, migrate
from .sites import SiteSessionInterface

htmx = Htmx()
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Pages are read through a memory map (shared with every connection and worker by the OS page cache) instead
# of a read() per page into each connection's 2 MB cache: a staff page at 10k clients reads more pages than
# that cache holds, and reread them on every request (the home's Needs Review: 1.2 ms of its 6).
SQLITE_MMAP_BYTES = 1 << 30

DOMAIN_MODULES = (
    "audit", "outbox", "files",
    "accounts.models", "accounts.policy",
    "clients.models", "clients.search", "clients.policy",
    "sharing.models", "sharing.policy",
    "portal_access.models", "portal_access.policy",
    "messaging.models", "messaging.policy",
    "documents.models", "documents.policy",
    "documents.sealed", "documents.records", "documents.consent", "documents.emailed",
    "programs.models", "programs.policy",
    "goals.models", "goals.policy",
    "roi.models", "roi.policy",
    "referrals.models", "referrals.policy",
    "appointments.models", "appointments.policy",
    "requests.models", "requests.policy", "requests.portal_services", "requests.roi_kind",
    "requests.mass",
    "kiosk.models", "kiosk.policy",
)


def _load_config(app: Flask, name: str | None, overrides: dict | None) -> None:
    from config import CONFIGS

    cls = CONFIGS[name or os.environ.get("CASEPORT_ENV", "development")]
    app.config.from_object(cls)
    app.config.update(overrides or {})
    if hasattr(cls, "check"):
        cls.check(app)  # refuses unsafe settings (ConfigError) and settles the secret


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Foreign keys on, WAL; own transaction handling so SAVEPOINTs work."""
    if dbapi_connection.__class__.__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        # Writers queue for SQLite's one write lock (BEGIN IMMEDIATE). Its busy handler polls, which
        # is not first come first served: at 16 connections one waiter lost the race for 4.3 s while
        # each holder kept the lock for 50 ms at most. Waiting longer beats a 503.
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cur.close()


def create_app(config: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, sites, CLI."""
    root = Path(__file__).resolve().parent.parent
    app = transactions.TransactionalFlask(
        __name__,
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
        instance_path=os.environ.get("CASEPORT_INSTANCE", str(root / "instance")),
    )
    _load_config(app, config, overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:  # the address and scheme the last `proxies` proxies saw, for throttles and the audit trail
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    audit.init_app(app)

    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)
        event.listen(Engine, "begin", transactions.sqlite_begin)
        event.listen(Engine, "before_cursor_execute", transactions.refuse_writes_in_read_only_requests)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(root / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = None  # per-site cookies + session epoch instead
    app.session_interface = SiteSessionInterface()
    passwords.configure(**app.config.get("ARGON2_PARAMS", {}))

    from . import assets, compression, i18n, pipeline, routing, templating, timefmt, users_loader
    for module in DOMAIN_MODULES:  # models, and policies that register their object rules
        importlib.import_module(f"{__name__}.{module}")

    i18n.init_app(app)
    users_loader.init_app(app)
    pipeline.init_app(app)
    transactions.init_app(app)  # after pipeline: its after_request runs first, so headers cover a 503
    templating.init_app(app)
    assets.init_app(app)
    compression.init_app(app)
    timefmt.init_app(app)

    routing.init_app(app)  # before the blueprints add their rules
    from blueprints import register_blueprints

    register_blueprints(app)

    from . import cli

    cli.init_app(app)
    return app
