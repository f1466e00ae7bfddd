"""The client portal (/portal): clients and their guardians, on their phones."""
from flask import Blueprint, render_template

from portal_app.authz import Permission, public, requires

from .._common import sign_in_throttled, switch_language

bp = Blueprint("portal", __name__, url_prefix="/portal")


@bp.route("/login", methods=["GET", "POST"])
@public
@sign_in_throttled
def login():
    """Portal sign-in by username and password (accounts arrive with client-portal invitations)."""
    from forms.portal.auth import PortalSignInForm

    form = PortalSignInForm()
    status = 200
    error = None
    if form.validate_on_submit():
        from flask_babel import gettext as _

        # No portal account exists until invitations are built: the generic answer.
        error, status = _("That username and password do not match an active account, or the account is temporarily locked. Try again in a few minutes."), 401
    elif form.is_submitted():
        status = 422
    return render_template("portal/login.html", form=form, error=error), status


@bp.get("/")
@requires(Permission.PORTAL_HOME)
def home():
    """The portal home for the client being acted for."""
    return render_template("portal/home.html")


@bp.post("/language")
@public
def language():
    """Switch between English and Spanish."""
    return switch_language("portal.login")
