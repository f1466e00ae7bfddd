"""Password-reset links: the emailed token is exchanged for a hand-off, then a clean portal URL (S5)."""
from flask import redirect, render_template, url_for

from portal_app import tokens
from portal_app.authz import public
from portal_app.i18n import remember_language
from portal_app.portal_access import accounts

from . import bp


@bp.get("/reset/<token>")
@public
def reset(token: str):
    """Check the link (signed, one hour, unused) and move on to /portal/password/reset without it."""
    try:
        account = accounts.read_reset_token(token)
    except tokens.TokenExpired:
        return render_template("links/reset_problem.html", expired=True), 400
    except tokens.TokenInvalid:
        return render_template("links/reset_problem.html", expired=False), 400
    remember_language(account.language)  # the page reached from a Spanish email is in Spanish
    resp = redirect(url_for("portal.password_reset"))
    return tokens.set_handoff(resp, "reset", accounts.reset_handoff(account), path="/portal",
                              max_age=900)
