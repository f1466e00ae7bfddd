"""The kiosk's rows of the cross-agency matrix (tests/test_cross_agency_matrix.py): agency A's location,
paired kiosk and hand-off; B's location; the path and form cases."""
from __future__ import annotations

from sqlalchemy import func, select

from portal_app.extensions import db
from portal_app.kiosk.models import KioskDevice, KioskHandoff
from tests.kiosk import kiosk_helpers


def seed(a: dict, b: dict) -> None:
    """A's location, kiosk (paired: no browser needed here) and a hand-off of A's client; B's location."""
    a["location"] = kiosk_helpers.location(a["admin"])
    a["kiosk"] = kiosk_helpers.kiosk(a["admin"], place=a["location"])
    a["kiosk"].secret_hash = "0" * 64
    a["handoff"] = kiosk_helpers.handoff(a["admin"], a["case_manager"], a["client"], template=a["intake"],
                                         place=a["location"])
    b["location"] = kiosk_helpers.location(b["admin"], "B office")


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _target(w) -> str:
    return f"location:{w.a['location'].id}"


PATH_CASES = {
    "staff.client_kiosk": [lambda w: ({"client_id": w.a["client"].id},
                                      {"template_id": str(w.a["intake"].id), "target": _target(w)})],
    "staff.document_kiosk": [lambda w: ({"document_id": w.a["document"].id}, {"target": _target(w)})],
    "staff.kiosk_handoff_cancel": [lambda w: ({"handoff_id": w.a["handoff"].id}, {})],
    "staff.kiosk_handoff_resend": [lambda w: ({"handoff_id": w.a["handoff"].id}, {})],
    "staff.admin_location_edit": [lambda w: ({"location_id": w.a["location"].id}, {"name": "Taken", "address": ""})],
    "staff.admin_kiosk_detail": [lambda w: ({"kiosk_id": w.a["kiosk"].id}, {"code": "ABCDEF"})],
    "staff.admin_kiosk_revoke": [lambda w: ({"kiosk_id": w.a["kiosk"].id}, {})],
}

FORM_CASES = {
    "staff.admin_kiosk_new": lambda w: ({}, {"name": "Taken", "location_id": str(w.a["location"].id)},
                                        lambda: _count(KioskDevice, KioskDevice.name == "Taken") == 0),
    "staff.client_kiosk": lambda w: ({"client_id": w.b["client"].id},
                                     {"template_id": str(w.a["intake"].id), "target": _target(w)},
                                     lambda: _count(KioskHandoff, KioskHandoff.client_id == w.b["client"].id) == 0),
}

# The tablet's steps act on its own hand-off, found by the device; the id kiosk.verify posts is only
# compared with it (tests/kiosk/test_kiosk_access.py posts another agency's id).
NO_FORM_IDS = {"kiosk.pair", "staff.admin_location_new", "kiosk.verify", "kiosk.answers", "kiosk.sign",
               "kiosk.activity", "kiosk.wipe", "kiosk.staff_end"}
