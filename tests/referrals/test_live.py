"""Live dashboards (issue 14 item 5): each open dashboard polls its own address with ?live=<version> in the
background; the answer is 204 while nothing changed and the fresh fragment once any party changed something.
A poll neither moves the session's idle clock nor writes an audit event, and costs a bounded few queries."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.referrals import services
from tests.conftest import Auth
from tests.sites.portal.helpers import portal_login
from tests.sql import count_statements

POLL = {"HX-Request": "true", "X-Background-Poll": "1"}
POLLER = re.compile(r'data-live-poll hx-get="([^"]+)"')


def _poll_url(page: str) -> str:
    """The address the page's poller asks (the page's own, with its version)."""
    return POLLER.search(page).group(1).replace("&amp;", "&")


def _signed_in(app, person):
    http = app.test_client()
    Auth(http).login(person)
    return http


def _audit_count() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))


def _dashboards(ref) -> list[tuple[str, str]]:
    """(whose client, page) of every staff and partner dashboard showing the referral."""
    return [("helper", f"/staff/clients/{ref.client.id}/referrals"), ("helper", f"/staff/referrals/{ref.referral.id}"),
            ("claimer", "/partner/referrals"), ("claimer", f"/partner/referrals/{ref.referral.id}")]


@pytest.mark.parametrize("index", range(4))
def test_a_poll_answers_204_until_another_party_changes_the_referral(app, ref, index):
    who, url = _dashboards(ref)[index]
    http = _signed_in(app, getattr(ref, who))
    page = http.get(url).get_data(as_text=True)
    assert 'hx-trigger="every 3s"' in page and '"X-Background-Poll": "1"' in page
    poll = _poll_url(page)
    audited = _audit_count()
    with count_statements() as statements:
        quiet = http.get(poll, headers=POLL)
    assert (quiet.status_code, quiet.data) == (204, b"")
    assert len(statements) <= 6, statements  # the signed-in person, the scope check, one version query
    assert "Set-Cookie" not in quiet.headers and _audit_count() == audited
    other = ref.claimer if who == "helper" else ref.helper
    if who == "helper":
        services.change_status(other, ref.referral, "accept")
    else:
        services.change_status(other, ref.referral, "cancel", reason="Moved away", outcome="referred_elsewhere")
    db.session.commit()
    audited = _audit_count()
    fresh = http.get(poll, headers=POLL)
    body = fresh.get_data(as_text=True)
    assert fresh.status_code == 200 and "<html" not in body
    assert ("Accepted" if who == "helper" else "Cancelled") in body
    assert _poll_url(body) != poll and http.get(_poll_url(body), headers=POLL).status_code == 204
    assert _audit_count() == audited  # the page was the audited view; its redraws are not new ones


def test_a_note_shows_on_the_other_partys_open_referral_page(app, ref):
    http = _signed_in(app, ref.helper)
    poll = _poll_url(http.get(f"/staff/referrals/{ref.referral.id}").get_data(as_text=True))
    services.add_note(ref.claimer, ref.referral, "Called twice, no answer")
    db.session.commit()
    assert "Called twice, no answer" in http.get(poll, headers=POLL).get_data(as_text=True)


def test_a_new_referral_appears_on_inbound_referrals(app, ref, people):
    from .conftest import send

    http = _signed_in(app, ref.claimer)
    poll = _poll_url(http.get("/partner/referrals").get_data(as_text=True))
    send(ref.helper, ref.client, ref.program, contact_name="Second Person")
    db.session.commit()
    assert "Second Person" in http.get(poll, headers=POLL).get_data(as_text=True)


def test_my_referrals_on_the_portal_follow_the_program(app, ref):
    http = app.test_client()
    portal_login(http, ref.seeker.username)
    page = http.get("/portal/referrals").get_data(as_text=True)
    poll = _poll_url(page)
    assert http.get(poll, headers=POLL).status_code == 204
    services.change_status(ref.claimer, ref.referral, "accept")
    db.session.commit()
    fresh = http.get(poll, headers=POLL)
    assert fresh.status_code == 200 and "Accepted" in fresh.get_data(as_text=True)


def test_the_version_alone_is_no_poll_and_a_stale_one_redraws(app, ref):
    """Without the background header the address is the page (audited); junk versions just redraw."""
    http = _signed_in(app, ref.helper)
    url = f"/staff/clients/{ref.client.id}/referrals"
    audited = _audit_count()
    page = http.get(f"{url}?live=whatever")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True) and _audit_count() == audited + 1
    junk = http.get(f"{url}?live={'x' * 500}", headers=POLL)
    assert junk.status_code == 200 and 'id="client-referrals"' in junk.get_data(as_text=True)


def test_polling_does_not_keep_a_session_alive(app, ref, frozen_clock):
    http = _signed_in(app, ref.helper)
    poll = _poll_url(http.get(f"/staff/referrals/{ref.referral.id}").get_data(as_text=True))
    for minute in range(13):  # 14 min 5 s of polling: the idle clock still reads from the page view
        frozen_clock.advance(timedelta(minutes=1, seconds=5))
        assert http.get(poll, headers=POLL).status_code == 204, minute
    frozen_clock.advance(timedelta(seconds=60))  # 15 min 5 s after the page view, polled all along
    expired = http.get(poll, headers=POLL)
    assert expired.status_code == 401 and expired.headers["HX-Redirect"].startswith("/staff/login")


def test_a_poll_sees_only_what_its_person_may_see(app, ref, people):
    """Someone else's poll of a referral of another party is the usual 404 (the loaders run first)."""
    http = _signed_in(app, people["supervisor"])
    assert http.get(f"/partner/referrals/{ref.referral.id}?live=x", headers=POLL).status_code in (302, 401, 403, 404)
    outsider = _signed_in(app, people["partner"])
    ref.program.members.clear()
    db.session.commit()
    assert outsider.get(f"/partner/referrals/{ref.referral.id}?live=x", headers=POLL).status_code == 404
