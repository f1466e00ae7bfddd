"""Cross-agency matrix cases of releases of information (tests/test_cross_agency_matrix.py merges them in)."""
from __future__ import annotations


def _a_roi(w) -> int:
    """An active release of information of agency A's client, naming A's partner."""
    from tests.roi.helpers import signed_roi

    return signed_roi(w.a["admin"], w.a["client"], [w.a["partner_org"]]).id


ROI_PATH_CASES = {
    "staff.client_roi_history": [lambda w: ({"client_id": w.a["client"].id}, {})],
    "staff.client_roi_send": [lambda w: ({"client_id": w.a["client"].id}, {})],
    "staff.roi_revoke": [lambda w: ({"roi_id": _a_roi(w)}, {"reason": "Taken over"})],
    "portal.roi_revoke": [lambda w: ({"roi_id": _a_roi(w)}, {"reason": "Taken over"})],
}
