"""The kiosk (/kiosk): shared waiting-room tablets, one task at a time."""
from flask import Blueprint, render_template

from portal_app.authz import Permission, public, requires

from .._common import switch_language

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")


@bp.get("/login")
@public
def login():
    """The start page of a tablet that is not paired with the agency yet."""
    return render_template("kiosk/login.html")


@bp.get("/")
@requires(Permission.KIOSK_HOME)
def home():
    """The paired tablet's waiting screen."""
    return render_template("kiosk/home.html")


@bp.post("/language")
@public
def language():
    """Switch between English and Spanish."""
    return switch_language("kiosk.login")
