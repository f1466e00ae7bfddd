"""One-tap referral links from emails: the GET shows a confirm page and changes nothing (mail scanners open
links); the POST makes the chosen change once; any later use is refused with a clear page."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from wtforms import SelectChoice

from forms.links.referrals import ReferralLinkForm
from portal_app.authz import public
from portal_app.errors import DomainError
from portal_app.referrals import onetap
from portal_app.transactions import savepoint

from .._common import place_refusal
from . import bp


def _problem(err: onetap.LinkProblem):
    return render_template("links/referral_problem.html", kind=err.kind), err.status


def _form(actions, submitted: bool) -> ReferralLinkForm:
    form = ReferralLinkForm() if submitted else ReferralLinkForm(formdata=None)
    form.action.choices = [SelectChoice(a.name, _(a.label)) for a in actions]
    return form


@bp.route("/referral/<token>", methods=["GET", "POST"])
@public
def referral_action(token: str):
    """Confirm a referral change sent by email (signed, single use, 14 days, one person's allowed changes)."""
    try:
        link = onetap.open_link(token)
    except onetap.LinkProblem as err:
        return _problem(err)
    person = onetap.link_person(link)
    actions = onetap.link_actions(link, person)
    if not actions:
        return _problem(onetap.LinkProblem("stale"))
    form = _form(actions, submitted=True)
    error = None
    if form.validate_on_submit():
        try:
            with savepoint():
                event = onetap.use_link(link, form.action.data, reason=form.reason.data or "",
                                        outcome=form.outcome.data or "")
        except onetap.LinkProblem as err:
            return _problem(err)
        except DomainError as err:
            error = place_refusal(err, form)
        else:
            return render_template("links/referral_done.html", status=event.to_label)
    status = 422 if form.is_submitted() else 200
    return render_template("links/referral_action.html", form=form if form.is_submitted() else _form(actions, False),
                           referral=link.referral, error=error), status
