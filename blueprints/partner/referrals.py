"""Inbound Referrals (partner site): the referrals to the programs the user claims for, with a "Not updated"
count and filters by status and age; a referral's page with status changes, notes and history."""
from __future__ import annotations

from flask import render_template, request

from portal_app.authz import Permission, requires
from portal_app.referrals import queries
from portal_app.referrals.statuses import STATUS_LABELS

from .. import _referrals
from .._common import current_actor
from . import bp

P = Permission.PARTNER_REFERRALS
AGE_LABELS = {"": "Any age", "7": "Not changed in 7 days", "30": "Not changed in 30 days",
              "90": "Not changed in 90 days"}


@bp.get("/referrals")
@requires(P)
def referrals():
    """Inbound Referrals, oldest change first; "Not updated" counts open ones unchanged for 7 days."""
    actor = current_actor()
    status = request.args.get("status", "")
    age = request.args.get("age", "")
    status, age = (status if status in STATUS_LABELS else ""), (age if age in AGE_LABELS else "")
    return render_template("partner/referrals/list.html", status=status, age=age, statuses=STATUS_LABELS,
                           ages=AGE_LABELS, not_updated=queries.not_updated_count(actor),
                           referrals=queries.inbound_referrals(actor, status, age, request.args.get("page", 1)))


@bp.get("/referrals/<int:referral_id>")
@requires(P)
def referral_detail(referral_id: int):
    """An inbound referral: the seeker's contact details as sent, status, notes, history."""
    return _referrals.detail_page("partner", queries.get_referral_for_partner(current_actor(), referral_id))


@bp.post("/referrals/<int:referral_id>/status")
@requires(P)
def referral_status(referral_id: int):
    """Accept, reject, start, hold, complete or fail (htmx: the panel, without reload)."""
    return _referrals.change_status("partner", queries.get_referral_for_partner(current_actor(), referral_id))


@bp.post("/referrals/<int:referral_id>/notes")
@requires(P)
def referral_note_add(referral_id: int):
    """Add Note."""
    return _referrals.add_note("partner", queries.get_referral_for_partner(current_actor(), referral_id))


@bp.post("/referrals/<int:referral_id>/notes/<int:note_id>/delete")
@requires(P)
def referral_note_delete(referral_id: int, note_id: int):
    """Delete one's own note (a tombstone stays in the history)."""
    return _referrals.delete_note("partner", queries.get_referral_for_partner(current_actor(), referral_id),
                                  note_id)
