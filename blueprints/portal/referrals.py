"""My referrals (portal): the acted-for client's referrals and the seeker's answers: "I'm no longer interested",
"I got help", "I couldn't get help". htmx swaps the one referral; without JavaScript the form posts and redirects."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from forms.portal.referrals import SeekerReferralForm
from portal_app.authz import Permission, requires
from portal_app.errors import DomainError
from portal_app.referrals import live, queries, services
from portal_app.referrals.statuses import SEEKER, actions_for

from .._common import current_actor, savepoint
from .._live import live_poll, unchanged
from . import bp

P = Permission.PORTAL_REFERRALS


def _form(referral, submitted: bool = False) -> SeekerReferralForm:
    form = SeekerReferralForm() if submitted else SeekerReferralForm(formdata=None)
    form.action.choices = [SelectChoice(a.name, a.label) for a in actions_for({SEEKER}, referral.status)]
    return form


@bp.get("/referrals")
@requires(P)
def referrals():
    """The client's referrals: program, status, outcome, and the answers the client may give."""
    access = g.get("acting") or abort(404)
    version, seen = live.seeker_version(access.client_id), live_poll()
    if seen == version:
        return unchanged()
    rows = [(r, _form(r)) for r in queries.seeker_referrals(access.client_id)]
    if seen is not None:  # a live poll: the list alone
        return render_template("portal/_partials/referral_list.html", rows=rows, live_version=version), 200, {
            "Vary": "HX-Request"}
    return render_template("portal/referrals/list.html", rows=rows, live_version=version)


@bp.post("/referrals/<int:referral_id>/status")
@requires(P)
def referral_status(referral_id: int):
    """Give one answer (it changes the referral once; the helper and the program are emailed)."""
    referral = queries.get_referral_for_seeker(current_actor(), g.get("acting"), referral_id)
    form = _form(referral, submitted=True)
    error, status = None, 200
    if form.validate_on_submit():
        try:
            with savepoint():
                services.change_status(current_actor(), referral, form.action.data, via="portal")
        except DomainError as err:
            error, status = _("This answer is not possible now. Reload the page to see where it stands."), err.status
        else:
            form = _form(referral)
    else:
        error, status = _("Choose one of the answers."), 422
    if request.htmx:
        return render_template("portal/_partials/referral_item.html", referral=referral, form=form,
                               error=error), status, {"Vary": "HX-Request"}
    flash(error or _("Thank you. Your answer was saved."), "error" if error else "success")
    return redirect(url_for("portal.referrals"))
