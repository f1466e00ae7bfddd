"""My Account: My Info and password change."""
from flask import render_template

from portal_app.authz import Permission, requires

from .._common import password_change_page
from . import bp


@bp.get("/account")
@requires(Permission.STAFF_ACCOUNT)
def account():
    """My Account: own details and, for administrators, Account Administration."""
    return render_template("staff/account/index.html")


@bp.route("/account/password", methods=["GET", "POST"])
@requires(Permission.STAFF_ACCOUNT)
def account_password():
    """Change one's own password; other sessions end, this one continues."""
    return password_change_page("staff.account", "staff/account/password.html")
