"""The staff navigation's Inbox badge: read with the signed-in user on a read-only page, read again on a page
that changes it (P6: one statement less on every staff page)."""
from __future__ import annotations

from portal_app.extensions import db
from portal_app.messaging import services, unread
from tests.sites.staff.test_messages import cm_http, setup  # noqa: F401  (the messaging fixtures)
from tests.sql import count_statements


def html(resp) -> str:
    return resp.get_data(as_text=True)


def test_the_nav_badge_comes_with_the_signed_in_user_and_follows_the_page_s_own_mark_read(cm_http, setup):
    client = setup["client"]
    first = services.start_conversation(setup["admin"], client, subject="First", body_html="<p>a</p>", account_ids=None)
    services.start_conversation(setup["admin"], client, subject="Second", body_html="<p>b</p>", account_ids=None)
    unread.recount_all()  # the counters known, as the services keep them in a running deployment
    db.session.commit()
    with count_statements() as statements:
        page = html(cm_http.get("/staff/clients"))
    assert page.count('badge badge-count">2<') == 1
    # A read-only page reads the kept count in the signed-in user's own statement, not in one of its own.
    [badge] = [s for s in statements if "unread_counter" in s]
    assert "FROM user_account" in badge
    # Opening a conversation marks it read in that request: its own page shows the count after the mark-read.
    page = html(cm_http.get(f"/staff/messages/{first.id}"))
    assert page.count('badge badge-count">1<') == 1 and 'badge badge-count">2<' not in page
    assert page.count('badge badge-count">1<') == html(cm_http.get("/staff/clients")).count('badge badge-count">1<')
