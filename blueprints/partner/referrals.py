"""Inbound Referrals (partner site): the referrals to the programs the user claims for, with a "Not updated"
count and filters by status and age; a referral's page with status changes, notes and history."""
from __future__ import annotations

from portal_app.authz import Permission, requires
from portal_app.referrals import queries

from .. import _referrals, _walkins
from .._common import current_actor
from . import bp

P = Permission.PARTNER_REFERRALS


@bp.get("/referrals")
@requires(P)
def referrals():
    """Inbound Referrals, oldest change first; "Not updated" counts open ones unchanged for 7 days."""
    return _referrals.inbound_page("partner/referrals/list.html", "partner")


@bp.route("/referrals/walk-in", methods=["GET", "POST"])
@requires(P)
def walk_in():
    """Record a walk-in: a person who came to one of the user's programs themselves."""
    return _walkins.walk_in_page("partner", "partner.referrals")


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
