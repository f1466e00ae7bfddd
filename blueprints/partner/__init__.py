"""The partner site (/partner): third-party organizations a client is shared with."""
from flask import Blueprint, render_template, request
from flask_login import current_user

from portal_app.accounts.services import record_sign_out
from portal_app.authz import Permission, public, requires
from portal_app.sharing.queries import partner_shared_clients
from portal_app.transactions import reads_before_writing

from .._common import (
    email_sign_in,
    end_session,
    password_change_page,
    sign_in_throttled,
)

bp = Blueprint("partner", __name__, url_prefix="/partner")


@bp.route("/login", methods=["GET", "POST"])
@public
@sign_in_throttled
@reads_before_writing  # the password is checked before the write lock is taken
def login():
    """Partner sign-in page."""
    return email_sign_in("partner", "partner.home", "partner/login.html")


@bp.post("/logout")
@requires(Permission.PARTNER_HOME)
def logout():
    """Sign out and end every other session of this person."""
    record_sign_out(current_user, "partner")
    return end_session("partner")


@bp.get("/")
@requires(Permission.PARTNER_HOME)
def home():
    """Shared clients of the partner's organization (only their allowed fields, S7), 25 a page."""
    shares = partner_shared_clients(current_user._get_current_object(), request.args.get("page"))
    return render_template("partner/home.html", shares=shares, clients=shares.items)


@bp.route("/account/password", methods=["GET", "POST"])
@requires(Permission.PARTNER_ACCOUNT)
def account_password():
    """Change one's own password."""
    return password_change_page("partner.home", "partner/password.html")


from . import clients, programs, referrals  # noqa: E402,F401  (routes register on bp)
