"""The tablet's typing heartbeat (POST /kiosk/activity) moves the 3-minute idle clock without a new version of
the hand-off: it arrives beside the answers' own save, and a versioned write made that save fail as a
concurrent change (a 500 the clean-clone run on PostgreSQL met)."""
from __future__ import annotations

from portal_app.extensions import db
from tests.conftest import csrf_token
from tests.kiosk.kiosk_helpers import confirm_birth_date, form_on_tablet


def test_the_typing_heartbeat_moves_the_idle_clock_and_leaves_the_version(app, admin, case_manager):
    tablet, _, person, waiting = form_on_tablet(app, admin, case_manager)
    token = csrf_token(tablet, "/kiosk/")
    assert confirm_birth_date(tablet, waiting, person, token).status_code == 302
    db.session.refresh(waiting)
    version, before = waiting.version_id, waiting.last_activity_at
    for _ in range(2):
        assert tablet.post("/kiosk/activity", data={"csrf_token": token}).status_code == 204
    db.session.expire_all()
    assert waiting.version_id == version  # a save of the answers read before the heartbeat still matches
    assert waiting.last_activity_at is not None and (before is None or waiting.last_activity_at >= before)
