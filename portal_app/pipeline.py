"""Every request: timeouts, deny-by-default authorization, security headers, error pages."""
from __future__ import annotations

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from . import audit, errors, logsafe
from .authz import PUBLIC, can, declared_permission, why_refused
from .extensions import login_manager
from .logsafe import describe_error
from .sites import SIGNED_IN_SITES, current_site, enforce_timeouts

PUBLIC_ENDPOINTS = frozenset({"static"})

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)

ERROR_TITLES = {
    400: _l("This request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("Someone else changed this first"),
    413: _l("That file is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
    503: _l("Caseport is temporarily unavailable"),
}


def login_endpoint(site: str | None) -> str | None:
    return f"{site}.login" if site in SIGNED_IN_SITES else None


def authorize_endpoint():
    """Deny by default: an endpoint runs only if it declares a permission the actor holds."""
    if request.endpoint is None:
        return None  # 404/405 raised by routing
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    view = current_app.view_functions.get(request.endpoint)
    permission = declared_permission(view)
    if permission == PUBLIC:
        return None
    if permission is None:
        current_app.logger.error("endpoint %s declares no permission", request.endpoint)
        abort(403)
    if not current_user.is_authenticated:
        target = login_endpoint(current_site())
        if target is None:
            abort(403)
        if session.pop("_expired", False):
            flash(_("You were signed out after a period of inactivity. Please sign in again."), "info")
        # full_path ends in a bare "?" when there is no query string: /staff/? is not what was asked for.
        back = request.full_path.removesuffix("?") if request.method == "GET" else None
        url = url_for(target, next=back)
        if request.headers.get("HX-Request") == "true":
            resp = current_app.response_class(status=401)
            resp.headers["HX-Redirect"] = url
            return resp
        return redirect(url)
    if not can(current_user, permission):
        # Answered, not raised: an exception would roll the request back, and the event with it.
        audit.record("authz.denied", current_user, details={"endpoint": request.endpoint})
        reason = why_refused(current_user, permission)
        response = current_app.make_response(render_error(403, reason))
        if reason is not None and request.headers.get("HX-Request") == "true":
            response.headers["HX-Refresh"] = "true"  # a poll or panel: the whole page reloads and says why
        return response
    return None


def security_headers(response):
    """S10 headers on every response; no-store on every site page."""
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h["X-Content-Type-Options"] = "nosniff"
    h["X-Frame-Options"] = "DENY"
    h["Referrer-Policy"] = "same-origin"
    h["Cross-Origin-Opener-Policy"] = "same-origin"
    h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(self)"
    if current_app.config.get("HSTS"):
        h["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if current_site() is not None:
        h["Cache-Control"] = "no-store"
        h["Pragma"] = "no-cache"
        response.vary.add("HX-Request")
    return response


def render_error(code: int, message: str | None = None):
    site = current_site()
    base = f"{site}/base.html" if site else "public_base.html"
    return (
        render_template(
            "errors/error.html",
            base=base,
            code=code,
            title=str(ERROR_TITLES.get(code, ERROR_TITLES[500])),
            message=message,
        ),
        code,
    )


def init_app(app: Flask) -> None:
    logsafe.install(app)
    app.before_request(enforce_timeouts)
    app.before_request(authorize_endpoint)
    app.after_request(security_headers)

    @app.errorhandler(CSRFError)
    def csrf_error(err):
        return render_error(400, _("This form expired or came from another page. Go back, reload the page and try again."))

    @app.errorhandler(errors.NotFound)
    @app.errorhandler(errors.Forbidden)
    def out_of_scope(err: errors.DomainError):
        """A domain loader found nothing in the actor's scope (404) or refused the action (403): S6, S15.

        The request was rolled back (transactions.py); the event recorded here is committed at its end."""
        if current_user.is_authenticated:
            audit.record("authz.denied", current_user, details={"endpoint": request.endpoint, "answer": err.status})
        return render_error(err.status)

    @app.errorhandler(errors.DomainError)
    def refused(err: errors.DomainError):
        """A refusal no view placed beside a form field: its sentence and status on the error page."""
        return render_error(err.status, str(err))

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        if err.code == 429:
            return render_error(429, _("Please wait a minute before trying again."))
        return render_error(err.code or 500)

    @app.errorhandler(StaleDataError)
    def changed_meanwhile(err):
        """A row another request saved between our read and our write (its version moved on), where no domain
        function turned that into its own refusal: the request was rolled back, nothing half-saved; 409."""
        current_app.logger.warning("concurrent change on %s %s: %s", request.method, request.path, describe_error(err))
        return render_error(409, _("Someone changed this at the same moment. Go back, reload the page and try again."))

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_error(err):
        current_app.logger.error("database unavailable: %s on %s %s", describe_error(err), request.method, request.path)
        # The signed-in person cannot be (re)loaded without the database, and the site's header
        # would try: draw the 503 page for a signed-out visitor instead of failing a second time.
        g._login_user = login_manager.anonymous_user()
        return render_error(503, _("Please try again in a few minutes. Nothing you sent was saved."))
