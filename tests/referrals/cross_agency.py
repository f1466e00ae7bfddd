"""Agency A's referral objects and the cross-agency cases of every referral endpoint (tests/test_cross_agency_matrix.py)."""
from __future__ import annotations

from portal_app.programs import services as program_services
from portal_app.referrals import services as referral_services
from tests.referrals.conftest import send


def referral_objects(people: dict, client, program) -> dict:
    """A's case manager refers A's client to A's partner program (A's partner user claims for it), with a note."""
    program_services.add_claimer(people["admin"], program, people["partner"])
    referral = send(people["case_manager"], client, program)
    return {"referral": referral, "note": referral_services.add_note(people["case_manager"], referral, "A only note")}


REFERRAL_PATH_CASES: dict = {}
for _site_name in ("staff", "partner"):
    REFERRAL_PATH_CASES.update({
        f"{_site_name}.referral_detail": [lambda w: ({"referral_id": w.a["referral"].id}, {})],
        f"{_site_name}.referral_status": [lambda w: ({"referral_id": w.a["referral"].id},
                                                     {"action": "cancel", "reason": "Taken"})],
        f"{_site_name}.referral_note_add": [lambda w: ({"referral_id": w.a["referral"].id}, {"body": "Taken"})],
        f"{_site_name}.referral_note_delete": [lambda w: ({"referral_id": w.a["referral"].id,
                                                          "note_id": w.a["note"].id}, {})],
    })
REFERRAL_PATH_CASES.update({
    "staff.client_referrals": [lambda w: ({"client_id": w.a["client"].id}, {})],
    "staff.referral_search": [lambda w: ({"client_id": w.a["client"].id}, {})],
    "staff.referral_new": [lambda w: ({"client_id": w.a["client"].id, "program_id": w.a["program"].id},
                                      {"contact_name": "Taken", "best_way": "none", "contact_language": "en"})],
    "portal.referral_status": [lambda w: ({"referral_id": w.a["referral"].id}, {"action": "not_interested"})],
    "staff.referral_goal": [lambda w: ({"referral_id": w.a["referral"].id}, {"goal_id": str(w.a["goal"].id)})],
    "staff.referral_goal_met": [lambda w: ({"referral_id": w.a["referral"].id}, {})],
})


def _walk_ins() -> int:
    from sqlalchemy import func, select

    from portal_app.extensions import db
    from portal_app.referrals.models import Referral

    return db.session.scalar(select(func.count(Referral.id)).where(Referral.walk_in.is_(True)))


def _walk_in_into_a(w):
    """B's person records a walk-in into A's program (not one of theirs): refused, nothing recorded."""
    return ({}, {"program_id": str(w.a["program"].id), "contact_name": "Taken", "contact_phone": "541-555-0100",
                 "contact_language": "en", "best_way": "phone"}, lambda: _walk_ins() == 0)


REFERRAL_FORM_CASES: dict = {"staff.walk_in": _walk_in_into_a, "partner.walk_in": _walk_in_into_a}
