"""View helpers shared by the sites: sign-in, sign-out, safe redirects, language switch, refusals.

No view commits or rolls back: the request's transaction ends in portal_app/transactions.py.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from forms.fields import ConfirmForm
from portal_app.clock import utcnow
from portal_app.documents import workflow
from portal_app.documents.errors import AnswersInvalid
from portal_app.extensions import limiter
from portal_app.i18n import choose_language, chosen_language, remember_language
from portal_app.sites import start_signed_in_session
from portal_app.timefmt import to_local
from portal_app.transactions import savepoint

__all__ = ["audited_page", "place_refusal", "savepoint"]


def current_actor() -> Any:
    """The signed-in person as a plain object (services take it as their explicit `actor`)."""
    return current_user._get_current_object()


def safe_next(target: str | None, site: str, default: str) -> str:
    """Only a path on the same site may follow sign-in (no open redirect, no header injection)."""
    if not target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith(f"/{site}/") or "\\" in target:
        return default
    if target.startswith("//"):
        return default
    return target


def begin_session(actor) -> None:
    """A brand-new session for the signed-in person: nothing from before survives (S3)."""
    # The language chosen in this browser wins; else the account's own (portal accounts have one).
    lang = chosen_language() or getattr(actor, "language", None)
    session.clear()
    login_user(actor)
    start_signed_in_session()
    if lang:
        session["lang"] = lang
        if getattr(actor, "language", None):  # a portal account: its emailed links' pages follow it
            remember_language(lang)


def end_session(site: str):
    """Forget this site's session and tell the browser to drop cached pages."""
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    resp = redirect(url_for(f"{site}.login"))
    # Not "cookies": that would also sign the person out of the other sites.
    resp.headers["Clear-Site-Data"] = '"cache", "storage"'
    return resp


def switch_language(default_endpoint: str):
    """POST handler body for the language switch on portal and kiosk pages."""
    code = request.form.get("lang", "")
    if not choose_language(code):
        flash(_("That language is not available."), "error")
    back = safe_next(request.form.get("next"), request.path.split("/")[1], url_for(default_endpoint))
    return redirect(back)


def account_key() -> str:
    """Throttle key for one account name, whatever IP it is tried from."""
    name = (request.form.get("email") or request.form.get("username") or "").strip().lower()
    return f"account:{request.path}:{name}"


def email_sign_in(site: str, home_endpoint: str, template: str):
    """The staff and partner sign-in page: email + password, one generic error (S2)."""
    from flask_login import current_user

    from forms.auth import EmailSignInForm
    from portal_app.accounts.services import AgencyDisabled, InvalidCredentials, authenticate

    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint))
    form = EmailSignInForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, site=site)
        except InvalidCredentials:  # answered 401: the request commits the failure count and audit event
            error, status = _("That email and password do not match an active account, or the account is temporarily locked. Try again in a few minutes."), 401
        except AgencyDisabled:  # answered 403: the request commits the audit event
            error, status = _("Your agency's access to Caseport is suspended for now, so you cannot sign in. Your agency's administrator can tell you more."), 403
        else:
            begin_session(user)
            return redirect(safe_next(request.args.get("next"), site, url_for(home_endpoint)))
    elif form.is_submitted():
        status = 422
    return render_template(template, form=form, error=error), status


def sign_in_throttled(view):
    """Per-IP and per-account throttles on a sign-in POST (S2); 429 past them."""
    view = limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])(view)
    return limiter.limit(
        lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], key_func=account_key, methods=["POST"]
    )(view)


def password_change_page(done_endpoint: str, template: str):
    """Own password change for staff and partner users (S1, S3)."""
    from flask_login import current_user

    from forms.auth import PasswordChangeForm
    from portal_app.accounts.services import (
        InvalidCredentials,
        PasswordPolicyError,
        change_password,
    )

    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        try:
            with savepoint():
                change_password(current_user, form.current_password.data, form.new_password.data)
        except InvalidCredentials:
            form.current_password.errors.append(_("The current password is not right."))
            status = 422
        except PasswordPolicyError as err:
            form.new_password.errors.append(str(err))
            status = 422
        else:
            begin_session(current_user._get_current_object())
            flash(_("Your password was changed. You were signed out everywhere else."), "success")
            return redirect(url_for(done_endpoint))
    elif form.is_submitted():
        status = 422
    return render_template(template, form=form), status


def place_refusal(err, form) -> str | None:
    """A service refused (a DomainError raised inside `with savepoint():`, which undid what it flushed):
    put the sentence beside its field.

    Returns the sentence when it belongs to no field of the form, for the view to show above it.
    """
    field = form[err.field] if err.field and err.field in form else None
    if field is None:
        return str(err)
    field.errors = [*field.errors, str(err)]
    return None


def audited_page(template: str, record_view: Callable[[], Any], status: int = 200, **context):
    """A page of a client's record: showing it (GET) is an audited view (S13), recorded here and stored
    when the request commits, after the page is rendered and before it is sent."""
    if request.method == "GET":
        record_view()
    return render_template(template, **context), status


def stored_photo_response(stored, allowed_types: frozenset[str] | None = None):
    """Send a stored photo (S11): 404 when absent, of another type, or missing from storage;
    an attachment with its stored type (an <img> shows it all the same; nosniff is global)."""
    from flask import abort

    from portal_app.files import StoredFileMissing, read_bytes

    if stored is None or (allowed_types is not None and stored.content_type not in allowed_types):
        abort(404)
    try:
        data = read_bytes(stored)
    except StoredFileMissing:
        current_app.logger.error("stored file %s of a client photo is missing or damaged", stored.id)
        abort(404)
    resp = current_app.response_class(data, mimetype=stored.content_type)
    resp.headers["Content-Disposition"] = "attachment"
    return resp


def save_posted_answers(actor: Any, document: Any, **options: Any) -> tuple[bool, dict | None]:
    """The POST of a document's fill page (staff and portal): CSRF (400), then the answers kept as the draft,
    or checked on Submit, in a savepoint. Returns (submitted, None) when saved, (submitted, errors per field)
    when Submit found answers to correct (the caller answers 422 with what was typed)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    submit = request.form.get("action") == "submit"
    try:
        with savepoint():
            workflow.save_answers(actor, document, request.form, submit=submit, today=to_local(utcnow()).date(),
                                  **options)
    except AnswersInvalid as err:
        return submit, err.errors
    return submit, None
