"""Signed links (/links): invitations, password resets, one-tap email actions."""
from flask import Blueprint, render_template

from portal_app.authz import public

from .._common import switch_language

bp = Blueprint("links", __name__, url_prefix="/links")


@bp.get("/")
@public
def index():
    """What a signed link is, for someone who lands here without one."""
    return render_template("links/index.html")


@bp.post("/language")
@public
def language():
    """Switch between English and Spanish; the portal follows the choice (portal_app/i18n.py)."""
    return switch_language("links.index")


from . import (
    documents,  # noqa: E402,F401  (a document emailed to one representative)
    invitations,  # noqa: E402,F401  (portal invitation links)
    resets,  # noqa: E402,F401  (password-reset links)
    referrals,  # noqa: E402,F401  (one-tap referral links from emails)
    verify,  # noqa: E402,F401  (is this Caseport PDF authentic and unchanged?)
)
