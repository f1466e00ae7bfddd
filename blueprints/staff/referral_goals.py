"""Referrals and goals on the staff site: "Add to a Goal" on a referral's page and on the client's Referrals
tab (the same dropdown moves or removes it), and "Mark the goal met" once the outcome is "Got help".
htmx gets the goal card (or the tab's cell) back; without JavaScript the forms post and redirect."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from forms.fields import ConfirmForm
from portal_app.authz import Permission, requires
from portal_app.errors import DomainError, Forbidden
from portal_app.goals.queries import get_goal_for
from portal_app.referrals import goals as referral_goals
from portal_app.referrals import queries
from portal_app.referrals.policy import may_link_goal

from .. import _referrals
from .._common import current_actor, place_refusal, savepoint
from . import bp

P = Permission.STAFF_REFERRALS


def _referral(referral_id: int):
    actor = current_actor()
    referral = queries.get_referral_for_staff(actor, referral_id)
    if not may_link_goal(actor, referral):
        raise Forbidden("Only staff of the referring agency add a referral to the client's goals.")
    return referral


def _card(referral, status: int = 200, *, form=None, compact: bool = False, announce: str | None = None):
    actor = current_actor()
    return render_template("staff/_partials/referral_goal.html", referral=referral, compact=compact,
                           goal_form=form or _referrals.goal_form(referral), goal_announce=announce,
                           ask_goal_met=referral_goals.asks_goal_met(actor, referral)), status, {"Vary": "HX-Request"}


def _back(referral, compact: bool):
    if compact:
        return redirect(url_for("staff.client_referrals", client_id=referral.client_id))
    return redirect(url_for("staff.referral_detail", referral_id=referral.id))


@bp.post("/referrals/<int:referral_id>/goal")
@requires(P)
def referral_goal(referral_id: int):
    """Add to a Goal, move the referral to another goal, or remove it (htmx: the goal card, in place)."""
    referral = _referral(referral_id)
    form = _referrals.goal_form(referral, submitted=True)
    compact = form.back.data == "tab"
    status = 422
    if form.validate_on_submit():
        goal = get_goal_for(current_actor(), int(form.goal_id.data)) if form.goal_id.data else None
        try:
            with savepoint():
                referral_goals.set_referral_goal(current_actor(), referral, goal)
        except DomainError as err:
            place_refusal(err, form)
            status = err.status
        else:
            message = "The referral was added to the goal." if goal else "The referral was removed from its goal."
            if request.htmx:
                return _card(referral, compact=compact, announce=message)
            flash(message, "success")
            return _back(referral, compact)
    elif "csrf_token" in form.errors:
        abort(400)
    if request.htmx:
        return _card(referral, status, form=form, compact=compact)
    return _referrals.render_page("staff", referral, status, goal_form=form)


@bp.post("/referrals/<int:referral_id>/goal/met")
@requires(P)
def referral_goal_met(referral_id: int):
    """One tap after "Got help": mark the referral's goal met (htmx: the goal card, in place)."""
    referral = _referral(referral_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        with savepoint():
            referral_goals.mark_goal_met(current_actor(), referral)
    except DomainError as err:
        if not request.htmx:
            return _referrals.render_page("staff", referral, err.status, error=str(err))
        return _card(referral, err.status, announce=str(err))
    message = "The goal was marked met."
    if request.htmx:
        return _card(referral, announce=message)
    flash(message, "success")
    return _back(referral, False)
