"""The client portal (/portal): clients and their guardians, on their phones."""
from flask import (
    Blueprint,
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
from flask_login import current_user

from portal_app import tokens
from portal_app.authz import Permission, declared_permission, public, requires
from portal_app.portal_access import accounts, queries
from portal_app.transactions import reads_before_writing

from .._common import (
    begin_session,
    end_session,
    safe_next,
    sign_in_throttled,
    switch_language,
)

bp = Blueprint("portal", __name__, url_prefix="/portal")

RESET_HANDOFF_AGE = 900  # seconds between opening the emailed link and choosing the new password


def sign_in_refusal() -> str:
    return _("That username and password do not match an active account, or the account is temporarily locked. Try again in a few minutes.")


@bp.before_request
def resolve_acting_for():
    """Whose record is on screen: the session's choice if still allowed, else the first access (self first)."""
    g.acting, g.accesses = None, []
    if not (current_user.is_authenticated and getattr(current_user, "kind", None) == "portal"):
        return None
    g.accesses = queries.accesses_of(current_user)
    chosen = session.get("acting_for")
    # First choice: a record whose agency is open (a family may have children at two agencies).
    available = [a for a in g.accesses if a.client.organization.enabled] or g.accesses
    g.acting = next((a for a in g.accesses if a.client_id == chosen), available[0] if available else None)
    if g.acting is not None and chosen != g.acting.client_id:
        session["acting_for"] = g.acting.client_id
    view = current_app.view_functions.get(request.endpoint or "")
    if g.acting is None and declared_permission(view) == Permission.PORTAL_HOME:
        return render_template("portal/no_access.html", agencies=queries.agencies_of(current_user))
    if (g.acting is not None and not g.acting.client.organization.enabled
            and declared_permission(view) in AGENCY_PAGES and request.endpoint not in SWITCHING):
        return agency_unavailable(g.acting.client.organization)
    return None


# Pages about the acted-for record: while its agency is disabled by the operator they answer
# "temporarily unavailable" (503). Account settings, sign-out and switching to another record stay.
AGENCY_PAGES = {Permission.PORTAL_HOME, Permission.PORTAL_MESSAGES, Permission.PORTAL_DOCUMENTS, Permission.PORTAL_GOALS,
                Permission.PORTAL_ROI, Permission.PORTAL_REFERRALS, Permission.PORTAL_APPOINTMENTS,
                Permission.PORTAL_REQUESTS}
SWITCHING = {"portal.switch", "portal.acting_for"}


def agency_unavailable(agency):
    """The polite page shown while the acted-for client's agency is disabled (nothing was deleted)."""
    others = [a for a in g.accesses if a.client.organization.enabled]
    page = render_template("portal/agency_unavailable.html", agency=agency, others=others)
    return page, 503, {"Retry-After": "3600"}


@bp.route("/login", methods=["GET", "POST"])
@public
@sign_in_throttled
@reads_before_writing  # the password is checked before the write lock is taken
def login():
    """Portal sign-in by username and password; one generic error for every refusal (S2)."""
    from forms.portal.auth import PortalSignInForm

    if current_user.is_authenticated:
        return redirect(url_for("portal.home"))
    form = PortalSignInForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            account = accounts.authenticate(form.username.data, form.password.data)
        except accounts.InvalidCredentials:  # answered 401: the request commits the failure count and audit event
            error, status = sign_in_refusal(), 401
        else:
            begin_session(account)
            return redirect(safe_next(request.args.get("next"), "portal", url_for("portal.home")))
    elif form.is_submitted():
        status = 422
    return render_template("portal/login.html", form=form, error=error), status


@bp.post("/logout")
@requires(Permission.PORTAL_ACCOUNT)
def logout():
    """Sign out here and end every other session of this account."""
    accounts.record_sign_out(current_user, "portal")
    return end_session("portal")


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@sign_in_throttled
def password_forgot():
    """Ask for a reset link by username or email; the answer is the same whether or not an account exists."""
    from forms.portal.auth import PasswordForgotForm

    form = PasswordForgotForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.username.data)
        return render_template("portal/password/forgot_sent.html")
    return render_template("portal/password/forgot.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/password/reset", methods=["GET", "POST"])
@public
def password_reset():
    """Choose a new password after opening an emailed link (the link's hand-off cookie carries the account)."""
    from forms.portal.auth import PasswordResetForm

    payload = tokens.read_handoff("reset", RESET_HANDOFF_AGE)
    if payload is None:
        flash(_("Open the link from your email again, or ask for a new one here."), "info")
        return redirect(url_for("portal.password_forgot"))
    person = accounts.account_for_reset(payload)
    if person is None:
        resp = current_app.make_response((render_template("links/reset_problem.html"), 400))
        return tokens.clear_handoff(resp, "reset", path="/portal")
    form = PasswordResetForm()
    if form.validate_on_submit():
        accounts.reset_password(person, form.new_password.data)
        begin_session(person)
        flash(_("Your new password is saved. You are signed in."), "success")
        return tokens.clear_handoff(redirect(url_for("portal.home")), "reset", path="/portal")
    return render_template("portal/password/reset.html", form=form, username=person.username), (
        422 if form.is_submitted() else 200)


@bp.post("/language")
@public
def language():
    """Switch between English and Spanish."""
    return switch_language("portal.login")


from . import (  # noqa: E402,F401  (views of the signed-in portal)
    account,
    appointments,  # upcoming appointments: confirm, ask to reschedule
    documents,  # noqa: E402,F401  (documents to fill in and sign)
    goals,  # My goals, read-only
    home,
    messages,  # noqa: E402,F401  (conversations with the care team)
    registration,  # noqa: E402,F401  (sign-up from an invitation)
    roi,  # releases of information: view, revoke
    referrals,  # noqa: E402,F401  (My referrals)
    requests,  # noqa: E402,F401  (what the agency asks of the client)
)
