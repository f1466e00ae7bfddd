"""Signed links (/links): invitations, password resets, one-tap email actions."""
from flask import Blueprint, render_template

from portal_app.authz import public

bp = Blueprint("links", __name__, url_prefix="/links")


@bp.get("/")
@public
def index():
    """What a signed link is, for someone who lands here without one."""
    return render_template("links/index.html")


from . import (
    invitations,  # noqa: E402,F401  (portal invitation links)
    resets,  # noqa: E402,F401  (password-reset links)
    verify,  # noqa: E402,F401  (is this Caseport PDF authentic and unchanged?)
)
