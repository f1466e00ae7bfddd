"""Registration from an invitation: choose a username and password, or add the client to an existing account.

The emailed token was exchanged on /links/invite for a hand-off cookie scoped to /portal (S5): these
pages read it, check the invitation again, and never show the client's name.
"""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from forms.portal.registration import ExistingAccountForm, RegistrationForm
from portal_app.authz import public
from portal_app.portal_access import errors, invitations, registration
from portal_app.portal_access.accounts import InvalidCredentials, authenticate
from portal_app.portal_access.models import Invitation
from portal_app.tokens import clear_handoff, read_handoff

from .._common import begin_session, place_refusal, savepoint, sign_in_throttled
from . import bp

HANDOFF_AGE = 1800


def _invitation() -> Invitation:
    """The invitation of this browser's hand-off, still pending; raises InvitationProblem otherwise."""
    payload = read_handoff("register", HANDOFF_AGE)
    if not isinstance(payload, dict):
        raise errors.InvitationInvalid(_("This page only works right after you open the link in your invitation "
                                         "email. Please open that link again."))
    return invitations.pending_invitation(payload.get("i"), payload.get("n"))


def _problem(err: errors.InvitationProblem):
    return render_template("links/invitation_problem.html", kind=err.kind, message=str(err)), err.status


def _page(invitation: Invitation, form=None, existing=None, *, error: str | None = None,
          existing_error: str | None = None, status: int | None = None):
    form = form or RegistrationForm(formdata=None, data={"email": invitation.email})
    existing = existing or ExistingAccountForm(prefix="existing", formdata=None)
    status = status or (422 if request.method == "POST" else 200)
    return render_template("portal/registration/register.html", form=form, existing=existing, error=error,
                           existing_error=existing_error, agency_name=invitation.client.organization.name), status


def _signed_in(account):
    """Start the new account's session, forget the hand-off, go home."""
    begin_session(account)
    return clear_handoff(redirect(url_for("portal.home")), "register", path="/portal")


@bp.route("/register", methods=["GET", "POST"])
@public
def register():
    """Create an account from an invitation: a username (never changes), a password, an email."""
    try:
        invitation = _invitation()
    except errors.InvitationProblem as err:
        return _problem(err)
    form = RegistrationForm()
    if not form.validate_on_submit():
        return _page(invitation, form if form.is_submitted() else None)
    try:
        with savepoint():
            account = registration.register_account(invitation, username=form.username.data,
                                                    password=form.password.data, email=form.email.data,
                                                    full_name=form.full_name.data)
    except errors.InvitationProblem as err:
        return _problem(err)
    except errors.PortalAccessError as err:
        unplaced = place_refusal(err, form)
        return _page(invitation, form, error=unplaced, status=err.status)
    return _signed_in(account)


@bp.post("/register/existing")
@public
@sign_in_throttled
def register_existing():
    """"I already have an account": sign in, and the invited client is added to that account."""
    try:
        invitation = _invitation()
    except errors.InvitationProblem as err:
        return _problem(err)
    existing = ExistingAccountForm(prefix="existing")
    if not existing.validate_on_submit():
        return _page(invitation, existing=existing)
    try:
        account = authenticate(existing.username.data, existing.password.data)
    except InvalidCredentials:  # answered 401: the request commits the failure count and audit event
        return _page(invitation, existing=existing, status=401, existing_error=_(
            "That username and password do not match an active account, or the account is temporarily locked. "
            "Try again in a few minutes."))
    try:
        with savepoint():
            registration.accept_with_existing_account(invitation, account)
    except errors.InvitationProblem as err:
        return _problem(err)
    except errors.PortalAccessError as err:
        return _page(invitation, existing=existing, existing_error=str(err), status=err.status)
    return _signed_in(account)
