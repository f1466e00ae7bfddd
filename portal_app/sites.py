"""The four sites: one session cookie per site, idle and absolute timeouts (S3, S4)."""
from __future__ import annotations

from flask import Flask, current_app, request, session
from flask.sessions import SecureCookieSessionInterface

from .clock import utcnow

SITES = ("staff", "partner", "portal", "kiosk", "links")
SIGNED_IN_SITES = ("staff", "partner", "portal", "kiosk")
POLL_HEADER = "X-Background-Poll"
# Activity is stamped at most once a minute: the other requests leave the session unchanged, so the
# cookie is neither re-signed nor sent again (about 400 bytes less per response on a slow phone).
SEEN_GRANULARITY = 60  # seconds; sessions may end up to this much before the exact idle limit


def site_for_path(path: str) -> str | None:
    """Which site a URL path belongs to; None for public pages and static files."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in SITES else None


def current_site() -> str | None:
    return site_for_path(request.path)


class SiteSessionInterface(SecureCookieSessionInterface):
    """A signed cookie per site, named `cp_<site>` with `Path=/<site>`."""

    def get_cookie_name(self, app: Flask) -> str:
        return f"cp_{current_site()}"

    def get_cookie_path(self, app: Flask) -> str:
        return f"/{current_site()}"

    def get_cookie_domain(self, app: Flask) -> str | None:
        return None

    def open_session(self, app, req):
        if site_for_path(req.path) is None:
            return None  # public page or static file: no session at all
        return super().open_session(app, req)


def enforce_timeouts() -> None:
    """Drop a signed-in session that went idle or lived past the absolute limit."""
    site = current_site()
    if site is None or "_user_id" not in session:
        return
    now = utcnow()
    started = session.get("_started")
    seen = session.get("_seen")
    idle = current_app.config["SESSION_IDLE_LIMITS"][site]
    absolute = current_app.config["SESSION_ABSOLUTE_LIMIT"]
    expired = (
        started is None
        or seen is None
        or now.timestamp() - seen > idle.total_seconds()
        or now.timestamp() - started > absolute.total_seconds()
    )
    if expired:
        session.clear()
        session["_expired"] = True
        return
    if request.headers.get(POLL_HEADER) != "1" and now.timestamp() - seen >= SEEN_GRANULARITY:
        session["_seen"] = now.timestamp()


def start_signed_in_session() -> None:
    """Called right after login_user: fresh timestamps, nothing carried over."""
    now = utcnow().timestamp()
    session["_started"] = now
    session["_seen"] = now
