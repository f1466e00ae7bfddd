"""A referral's page both working sites serve (staff: the helper's side; partner: Inbound Referrals): status,
the change form, notes, history. htmx requests get the panel alone (no reload); without JavaScript the same
forms POST and redirect back to the page.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from wtforms import SelectChoice

from forms.fields import ConfirmForm
from forms.referrals import ReferralGoalForm, ReferralNoteForm, ReferralStatusForm
from portal_app.errors import DomainError
from portal_app.referrals import live, queries, services
from portal_app.referrals.loop import goal_choices, loop_state
from portal_app.referrals.policy import may_link_goal, may_note
from portal_app.referrals.statuses import STATUS_LABELS
from portal_app.sharing.part2 import PART2_NOTICE
from portal_app.transactions import savepoint

from ._common import current_actor, place_refusal
from ._live import live_poll, unchanged

PANELS = {"staff": "staff/_partials/referral_panel.html", "partner": "partner/_partials/referral_panel.html"}
PAGES = {"staff": "staff/referrals/detail.html", "partner": "partner/referrals/detail.html"}


def status_form(actor, referral, submitted: bool = False) -> ReferralStatusForm:
    form = ReferralStatusForm() if submitted else ReferralStatusForm(formdata=None)
    form.action.choices = [SelectChoice(a.name, a.label) for a in services.allowed_actions(actor, referral)]
    return form


def goal_form(referral, submitted: bool = False, open_goals=None) -> ReferralGoalForm:
    """Add to a Goal: "No goal" and the client's open goals (the linked one too, even once closed)."""
    form = ReferralGoalForm() if submitted else ReferralGoalForm(formdata=None, goal_id=str(referral.goal_id or ""))
    form.goal_id.choices = [SelectChoice("", "No goal"), *(SelectChoice(str(g.id), g.title)
                                                          for g in goal_choices(referral, open_goals))]
    return form


def tab_goal_forms(actor, client, referrals) -> dict:
    """The Referrals tab's dropdown per referral (the client's open goals read once); none without the right."""
    from portal_app.goals.services import goals_for_picker

    linkable = [r for r in referrals if may_link_goal(actor, r)]
    open_goals = goals_for_picker(client) if linkable else []
    return {r.id: goal_form(r, open_goals=open_goals) for r in linkable}


def _render(site: str, referral, status: int = 200, *, whole: bool | None = None, **forms):
    actor = current_actor()
    context = {
        "referral": referral, "events": queries.history(referral), "notes": queries.notes(referral),
        "status_form": forms.get("status_form") or status_form(actor, referral),
        "note_form": forms.get("note_form") or ReferralNoteForm(formdata=None),
        "delete_form": ConfirmForm(), "may_note": may_note(actor, referral), "site": site,
        "part2": referral.part2_protected and actor.organization_id != referral.agency_id,
        "part2_notice": PART2_NOTICE, "error": forms.get("error"), "loop": loop_state(actor, referral),
        "live_version": live.referral_version(referral),
    }
    if context["loop"].may_link_goal:
        context.update(goal_form=forms.get("goal_form") or goal_form(referral, open_goals=context["loop"].goals),
                       goal_announce=None,
                       ask_goal_met=context["loop"].ask_goal_met, compact=False)
    fragment = request.htmx and not request.htmx.history_restore_request if whole is None else not whole
    template = PANELS[site] if fragment else PAGES[site]
    return render_template(template, **context), status, {"Vary": "HX-Request"}


def detail_page(site: str, referral):
    """The referral: who, which program, status and outcome, the change form, notes and history (audited).

    A live poll (the page open elsewhere) gets 204 while nothing changed, else the panel; the opening of the
    page was the audited view."""
    seen = live_poll()
    if seen is not None:
        return unchanged() if seen == live.referral_version(referral) else _render(site, referral, whole=False)
    services.record_view(current_actor(), referral, page=request.endpoint)
    return _render(site, referral, whole=True)


def render_page(site: str, referral, status: int, **forms):
    """The whole referral page again (a plain form's refusal), with the refused form's messages."""
    return _render(site, referral, status, whole=True, **forms)


def _done(site: str, referral, message: str):
    if request.htmx:
        return _render(site, referral, whole=False)
    flash(message, "success")
    return redirect(url_for(f"{site}.referral_detail", referral_id=referral.id))


def change_status(site: str, referral):
    """Change the status (a reason where the table needs one); 409 when the status moved on meanwhile."""
    actor = current_actor()
    form = status_form(actor, referral, submitted=True)
    if not form.validate_on_submit():
        return _render(site, referral, 422, status_form=form)
    try:
        with savepoint():
            services.change_status(actor, referral, form.action.data, reason=form.reason.data or "",
                                   outcome=form.outcome.data or "")
    except DomainError as err:
        error = place_refusal(err, form)
        return _render(site, referral, err.status, status_form=form, error=error)
    return _done(site, referral, "The referral's status was changed.")


def add_note(site: str, referral):
    """Add Note: notes cannot be edited afterwards."""
    form = ReferralNoteForm()
    if not form.validate_on_submit():
        return _render(site, referral, 422, note_form=form)
    try:
        with savepoint():
            services.add_note(current_actor(), referral, form.body.data)
    except DomainError as err:
        place_refusal(err, form)
        return _render(site, referral, err.status, note_form=form)
    return _done(site, referral, "The note was added.")


def delete_note(site: str, referral, note_id: int):
    """The author deletes a note; the history keeps "note deleted by ..."."""
    note = queries.get_note_for(referral, note_id)
    if ConfirmForm().validate_on_submit():
        services.delete_note(current_actor(), referral, note)
    return _done(site, referral, "The note was deleted.")


AGE_LABELS = {"": "Any age", "7": "Not changed in 7 days", "30": "Not changed in 30 days",
              "90": "Not changed in 90 days"}


INBOUND_TABLES = {"staff": "staff/_partials/inbound_table.html", "partner": "partner/_partials/inbound_table.html"}


def inbound_page(template: str, site: str):
    """Inbound Referrals of the programs the person claims for, filtered by status and age; a live poll gets
    204 while the page on screen is unchanged, else the table."""
    actor = current_actor()
    status, age = request.args.get("status", ""), request.args.get("age", "")
    status, age = (status if status in STATUS_LABELS else ""), (age if age in AGE_LABELS else "")
    page, seen = request.args.get("page", 1), live_poll()
    version = live.inbound_version(actor, status, age, page)
    if seen == version:
        return unchanged()
    context = {"status": status, "age": age, "live_version": version,
               "referrals": queries.inbound_referrals(actor, status, age, page)}
    if seen is not None:
        return render_template(INBOUND_TABLES[site], **context), 200, {"Vary": "HX-Request"}
    return render_template(template, statuses=STATUS_LABELS, ages=AGE_LABELS,
                           not_updated=queries.not_updated_count(actor), **context)
