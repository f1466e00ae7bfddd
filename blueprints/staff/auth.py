"""Staff sign-in and sign-out."""
from flask_login import current_user

from portal_app.accounts.services import record_sign_out
from portal_app.authz import Permission, public, requires
from portal_app.transactions import reads_before_writing

from .._common import email_sign_in, end_session, sign_in_throttled
from . import bp


@bp.route("/login", methods=["GET", "POST"])
@public
@sign_in_throttled
@reads_before_writing  # the password is checked before the write lock is taken
def login():
    """Staff sign-in page."""
    return email_sign_in("staff", "staff.home", "staff/auth/login.html")


@bp.post("/logout")
@requires(Permission.STAFF_HOME)
def logout():
    """Sign out here and end every other session of this person."""
    record_sign_out(current_user, "staff")
    return end_session("staff")
