"""Referrals on the staff site: the client's Referrals section, Start a Referral (directory search in the client's
ZIP, then the pre-filled Connect form), and a referral's page with status changes, notes and history."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from forms.fields import ConfirmForm
from forms.referrals import ReferralSendForm
from portal_app.authz import Permission, requires
from portal_app.clients import services as client_services
from portal_app.clients.queries import get_client_for_staff
from portal_app.errors import DomainError
from portal_app.referrals import live, queries, services
from portal_app.referrals.policy import referral_consent_problem

from .. import _referrals, _walkins
from .._common import audited_page, current_actor, place_refusal, savepoint
from .._directory import run_search, search_response
from .._live import live_poll, unchanged
from . import bp

P = Permission.STAFF_REFERRALS


def _client(client_id: int):
    return get_client_for_staff(current_actor(), client_id, P)


def _record_view(client):
    return lambda: client_services.record_client_view(current_actor(), client, page=request.endpoint)


def _client_page(template: str, client, status: int = 200, **context):
    return audited_page(template, _record_view(client), status, client=client, **context)


@bp.get("/clients/<int:client_id>/referrals")
@requires(P)
def client_referrals(client_id: int):
    """The client's referrals and their statuses, with Start a Referral."""
    client = _client(client_id)
    page, seen = request.args.get("page", 1), live_poll()
    version = live.client_version(client, page)
    if seen is not None and seen == version:  # a background poll: the page was audited when it was opened
        return unchanged()
    referrals = queries.client_referrals(client, page)
    goal_forms = _referrals.tab_goal_forms(current_actor(), client, referrals.items)
    if seen is not None:
        return render_template("staff/_partials/client_referrals.html", client=client, live_version=version,
                               referrals=referrals, goal_forms=goal_forms), 200, {"Vary": "HX-Request"}
    return _client_page("staff/referrals/client.html", client, live_version=version, referrals=referrals,
                        goal_forms=goal_forms)


@bp.get("/clients/<int:client_id>/referrals/search")
@requires(P)
def referral_search(client_id: int):
    """Start a Referral: the directory searched in the client's ZIP, a "Refer" button on each program."""
    client = _client(client_id)
    args = request.args if request.args else MultiDict({"zip": client.zip_code})
    form, result = run_search(args, run=bool(args.get("zip")))
    return search_response("staff/referrals/search.html", 422 if form.errors and request.args else 200,
                           _record_view(client), client=client, form=form, result=result, seeker=client,
                           search_endpoint="staff.referral_search")


@bp.route("/clients/<int:client_id>/referrals/new", methods=["GET", "POST"])
@requires(P)
def referral_new(client_id: int):
    """The Connect form, pre-filled from the client's profile; sending emails the program's claimers."""
    client = _client(client_id)
    program = queries.get_directory_program(request.args.get("program_id"))
    form = ReferralSendForm(data={"contact_name": client.full_name, "contact_phone": client.phone,
                                  "contact_email": client.email, "contact_language": client.preferred_language,
                                  "best_way": "phone" if client.phone else ("email" if client.email else "none")})
    context = {"form": form, "program": program, "consent_problem": referral_consent_problem(client, program),
               "roi_send_form": ConfirmForm()}
    if not form.validate_on_submit():
        return _client_page("staff/referrals/new.html", client, 422 if form.is_submitted() else 200, **context)
    try:
        with savepoint():
            referral = services.send_referral(current_actor(), client, program, **form.referral_data())
    except DomainError as err:
        error = place_refusal(err, form)
        context["error"] = None if isinstance(err, services.ConsentNeeded) else error  # the consent box says it
        return _client_page("staff/referrals/new.html", client, err.status, **context)
    flash("The referral was sent. The program's claimers were emailed a link.", "success")
    return redirect(url_for("staff.referral_detail", referral_id=referral.id))


@bp.get("/referrals/inbound")
@requires(P)
def inbound_referrals():
    """Inbound Referrals of the agency's programs the staff member claims for."""
    return _referrals.inbound_page("staff/referrals/inbound.html", "staff")


@bp.route("/referrals/inbound/walk-in", methods=["GET", "POST"])
@requires(P)
def walk_in():
    """Record a walk-in to one of the agency's programs the staff member claims for."""
    return _walkins.walk_in_page("staff", "staff.inbound_referrals")


@bp.get("/referrals/<int:referral_id>")
@requires(P)
def referral_detail(referral_id: int):
    """A referral: status, changes this person may make, notes and history."""
    return _referrals.detail_page("staff", queries.get_referral_for_staff(current_actor(), referral_id))


@bp.post("/referrals/<int:referral_id>/status")
@requires(P)
def referral_status(referral_id: int):
    """Change the referral's status (htmx: the panel, without reload)."""
    return _referrals.change_status("staff", queries.get_referral_for_staff(current_actor(), referral_id))


@bp.post("/referrals/<int:referral_id>/notes")
@requires(P)
def referral_note_add(referral_id: int):
    """Add Note."""
    return _referrals.add_note("staff", queries.get_referral_for_staff(current_actor(), referral_id))


@bp.post("/referrals/<int:referral_id>/notes/<int:note_id>/delete")
@requires(P)
def referral_note_delete(referral_id: int, note_id: int):
    """Delete one's own note (a tombstone stays in the history)."""
    return _referrals.delete_note("staff", queries.get_referral_for_staff(current_actor(), referral_id), note_id)
