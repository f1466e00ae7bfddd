"""Client goals on the staff site: the Goals section of the profile, Add goal, Edit, Mark met / not met /
withdrawn and Reopen (htmx swaps the section in place; without JavaScript the same forms post and redirect).

Flash messages never name the client or the goal: they travel in the (signed, not encrypted) session cookie.
"""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for

from forms.staff.goals import GoalForm, GoalStatusForm
from portal_app.authz import Permission, can, requires
from portal_app.clients.models import Client
from portal_app.clients.queries import get_client_for_staff
from portal_app.clients.services import record_client_view
from portal_app.goals import queries
from portal_app.goals import services as goals
from portal_app.goals.models import Goal
from portal_app.pipeline import render_error
from portal_app.referrals.goals import referrals_by_goal

from .._common import audited_page, place_refusal, savepoint
from .._common import current_actor as _actor
from . import bp

DONE = {"met": "The goal was marked met.", "not_met": "The goal was marked not met.",
        "withdrawn": "The goal was withdrawn.", "open": "The goal was reopened."}


def profile_goals(client: Client) -> dict[str, Any]:
    """What the profile's Goals section shows (nothing for someone without the permission)."""
    if not can(_actor(), Permission.STAFF_GOALS, client):
        return {"goals": None}
    return _goals_section(queries.client_goals(client, request.args.get("page")))


def _goals_section(page) -> dict[str, Any]:
    """The Goals section's goals, each with the referrals added to it (one query more)."""
    return {"goals": page, "goal_status_form": GoalStatusForm(),
            "goal_referrals": referrals_by_goal([goal.id for goal in page.items])}


def _goal(goal_id: int) -> Goal:
    return queries.get_goal_for(_actor(), goal_id)


def _form_page(template: str, client: Client, form: GoalForm, status: int | None = None, **context):
    """Add or edit: an audited view of the client's record (GET); 422 when the input needs correcting."""
    status = status or (422 if form.is_submitted() else 200)
    return audited_page(template, lambda: record_client_view(_actor(), client, page=request.endpoint), status,
                        client=client, form=form, **context)


def _refused(err: goals.GoalError, template: str, client: Client, form: GoalForm, **context):
    """A service said no (the savepoint undid its changes): its sentence beside its field, or above the form."""
    error = place_refusal(err, form)
    return _form_page(template, client, form, err.status, error=error, **context)


@bp.route("/clients/<int:client_id>/goals/new", methods=["GET", "POST"])
@requires(Permission.STAFF_GOALS)
def goal_new(client_id: int):
    """Add Goal: what the client works toward, its area of life and an optional target date."""
    client = get_client_for_staff(_actor(), client_id, Permission.STAFF_GOALS)
    form = GoalForm()
    if not form.validate_on_submit():
        return _form_page("staff/goals/new.html", client, form)
    try:
        with savepoint():
            goal = goals.create_goal(_actor(), client, **form.goal_data())
    except goals.GoalError as err:
        return _refused(err, "staff/goals/new.html", client, form)
    flash("The goal was added.", "success")
    return redirect(url_for("staff.client_profile", client_id=client.id, _anchor=f"goal-{goal.id}"))


@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
@requires(Permission.STAFF_GOALS)
def goal_edit(goal_id: int):
    """Edit a goal (409 when someone saved it meanwhile; the entries are kept and saving again overwrites)."""
    goal = _goal(goal_id)
    form = GoalForm(goal=goal)
    if not form.validate_on_submit():
        return _form_page("staff/goals/edit.html", goal.client, form, goal=goal)
    try:
        with savepoint():
            goals.update_goal(_actor(), goal, form.expected_version(), **form.goal_data())
    except goals.GoalError as err:
        if isinstance(err, goals.StaleEdit):
            form.version_id.data = goal.version_id
        return _refused(err, "staff/goals/edit.html", goal.client, form, goal=goal,
                        current=goal if isinstance(err, goals.StaleEdit) else None)
    flash("The goal was saved.", "success")
    return redirect(url_for("staff.client_profile", client_id=goal.client_id, _anchor=f"goal-{goal.id}"))


@bp.post("/goals/<int:goal_id>/status")
@requires(Permission.STAFF_GOALS)
def goal_status(goal_id: int):
    """Mark met / not met / withdrawn, or Reopen. htmx: the Goals section, redrawn; otherwise back to the profile."""
    goal = _goal(goal_id)
    form = GoalStatusForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return render_error(422, " ".join(form.status.errors))
    message = DONE[form.status.data]
    try:
        with savepoint():
            goals.set_goal_status(_actor(), goal, form.status.data)
    except goals.GoalError as err:  # closed meanwhile by someone else: show the goal as it now is
        if not request.htmx:
            return render_error(err.status, str(err))
        message = str(err)
    if request.htmx:
        client = goal.client
        return render_template("staff/_partials/goal_list.html", client=client, announce=message,
                               **_goals_section(queries.client_goals(client))), \
            {"Vary": "HX-Request"}
    flash(message, "success")
    return redirect(url_for("staff.client_profile", client_id=goal.client_id, _anchor=f"goal-{goal.id}"))
