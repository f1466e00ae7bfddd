"""Cross-agency matrix cases of client goals (tests/test_cross_agency_matrix.py merges them in)."""
from __future__ import annotations

GOAL_PATH_CASES = {
    "staff.goal_new": [lambda w: ({"client_id": w.a["client"].id}, {"title": "Taken", "domain": "other"})],
    "staff.goal_edit": [lambda w: ({"goal_id": w.a["goal"].id}, {
        "title": "Taken", "domain": "other", "version_id": str(w.a["goal"].version_id)})],
    "staff.goal_status": [lambda w: ({"goal_id": w.a["goal"].id}, {"status": "withdrawn"})],
}
