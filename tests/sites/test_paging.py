"""Growing lists come in pages (P6): the next page shows the rest, odd page numbers never answer 500,
and the pager and "Earlier messages" are real links that htmx enhances."""
from __future__ import annotations

import re

import pytest

from portal_app.extensions import db
from portal_app.messaging import services as messaging
from tests.factories import clients as client_factories
from tests.conftest import Auth
from tests.messaging.helpers import allow_messaging, bulk_conversations, bulk_messages, family
from tests import factories as sf
from tests.sites.portal.helpers import portal_login

ODD_PAGES = ["0", "-3", "abc", "1e9", "99999999999999999999999", "2.5", ""]


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def signed_in(app, user):
    http = app.test_client()
    assert Auth(http).login(user).status_code == 302
    return http


def test_client_log_pages(app, world):
    client, partner = world["client"], world["partner"]
    for i in range(28):
        sf.contact(client, world["cm"], notes=f"Staff note {i:02d}")
    sf.pending_contacts(client, partner, 2)
    db.session.commit()
    http = signed_in(app, world["sup"])
    url = f"/staff/clients/{client.id}/log"
    first, second = html(http.get(url)), html(http.get(url, query_string={"page": 2}))
    assert first.count('class="contact-entry') + second.count('class="contact-entry') == 30
    assert second.count('class="contact-entry') == 5
    pager = re.search(r'<nav class="pagination" aria-label="Pages of the client log">(.*?)</nav>', first, re.S).group(1)
    assert f'href="{url}?page=2"' in pager and f'hx-get="{url}?page=2"' in pager and 'hx-select="#contacts"' in pager
    assert "Previous" not in pager and 'rel="prev"' in second
    assert "Needs Review" in second and 'badge-count">2<' in second  # the counter is the client's, on every page
    for odd in ODD_PAGES:
        assert http.get(url, query_string={"page": odd}).status_code == 200
    assert "no contacts on this page" in html(http.get(url, query_string={"page": 50}))


def test_partner_list_pages(app, world):
    sup, partner = world["sup"], world["partner"]
    for cid in client_factories.many_clients(sup.organization, 29, world["cm"]):
        sf.share(db.session.get(type(world["client"]), cid), partner.organization, sup)
    db.session.commit()
    http = signed_in(app, partner)
    first, second = html(http.get("/partner/")), html(http.get("/partner/?page=2"))
    names = re.compile(r'href="/partner/clients/(\d+)"')
    shown = set(names.findall(first)) | set(names.findall(second))
    assert len(set(names.findall(first))) == 25 and len(shown) == 30
    assert 'hx-select="#shared-clients"' in first
    for odd in ODD_PAGES:
        assert http.get("/partner/", query_string={"page": odd}).status_code == 200


def test_inbox_pages(app, world):
    bulk_conversations(world["client"], world["sup"], 29)
    db.session.commit()
    http = signed_in(app, world["sup"])
    first, second = html(http.get("/staff/messages")), html(http.get("/staff/messages?page=2"))
    rows = re.compile(r'href="/staff/messages/(\d+)"')
    assert len(set(rows.findall(first))) == 25 and len(set(rows.findall(first)) | set(rows.findall(second))) == 30
    assert "Topic 28" in first and "Topic 0<" in second  # latest activity first
    for odd in ODD_PAGES:
        assert http.get("/staff/messages", query_string={"page": odd}).status_code == 200


def _earlier_link(page: str) -> str:
    return re.search(r'<p class="earlier"><a [^>]*href="([^"]+)"', page).group(1).replace("&amp;", "&")


@pytest.mark.parametrize("site", ["staff", "portal-self", "portal-guardian"])
def test_long_conversations_show_the_newest_and_earlier_on_demand(app, world, site):
    conv = world["conversation"]
    bulk_messages(conv, world["sup"], 30, world["mother"].account_id)  # "Line 0" ... "Line 29" after "Hi"
    db.session.commit()
    if site == "staff":
        http, url = signed_in(app, world["sup"]), f"/staff/messages/{conv.id}"
    else:
        http = app.test_client()
        who = world["own"] if site == "portal-self" else world["mother"]
        assert portal_login(http, who.account.username).status_code == 302
        url = f"/portal/messages/{conv.id}"
    newest = html(http.get(url))
    assert "Line 29" in newest and "Line 10<" in newest and "Line 9<" not in newest
    assert newest.index("Line 28") < newest.index("Line 29")  # the page reads top to bottom
    earlier = _earlier_link(newest)
    assert re.search(r'hx-get="[^"]+before=\d+" hx-target="closest .earlier"', newest)
    older = html(http.get(earlier))
    assert "Line 9<" in older and "Line 0<" in older and "Hi" in older and "Line 10<" not in older
    assert '<p class="earlier">' not in older  # the start of the conversation
    fragment = html(http.get(earlier, headers={"HX-Request": "true"}))  # htmx: the earlier block only
    assert fragment.lstrip().startswith("<div class=") and "<html" not in fragment and "Line 9<" in fragment
    for odd in ["abc", "-1", "0", "99999999999999999999999"]:
        assert http.get(url, query_string={"before": odd}).status_code == 200


def test_badge_counts_stop_at_99(app, world):
    from portal_app.messaging import queries

    allow_messaging(world["sup"])
    client = family(world["sup"].organization, first_name="Busy")[0]
    bulk_conversations(client, world["sup"], 120, portal_account_id=world["own"].account_id)
    messaging.start_conversation(world["sup"], client, subject="Mine", body_html="<p>x</p>", account_ids=None)
    db.session.commit()
    assert queries.unread_count(world["sup"]) == 120  # the kept counter is exact; shown as "99+"
    assert queries.exact_unread_count(world["sup"], limit=100) == 100  # counting the slow way stops at 100
    assert "99+" in html(signed_in(app, world["sup"]).get("/staff/"))


def test_partner_contacts_of_a_shared_client_pages(app, world):
    client, partner = world["client"], world["partner"]
    sf.pending_contacts(client, partner, 30)
    db.session.commit()
    http = signed_in(app, partner)
    url = f"/partner/clients/{client.id}"
    first, second = html(http.get(url)), html(http.get(url, query_string={"page": 2}))
    assert first.count("Session 29") == 1 and "Session 4\n" not in first
    assert "Session 4" in second and "Session 0" in second and "Session 5\n" not in second
    assert f'href="{url}?page=2"' in first and 'hx-select="#contacts"' in first
    for odd in ODD_PAGES:
        assert http.get(url, query_string={"page": odd}).status_code == 200


@pytest.mark.parametrize("who", ["own", "mother"])
def test_portal_conversation_list_pages(app, world, who):
    bulk_conversations(world["client"], world["sup"], 29)
    db.session.commit()
    http = app.test_client()
    assert portal_login(http, world[who].account.username).status_code == 302
    first, second = html(http.get("/portal/messages")), html(http.get("/portal/messages?page=2"))
    rows = re.compile(r'href="/portal/messages/(\d+)"')
    assert len(set(rows.findall(first))) == 25 and len(set(rows.findall(first)) | set(rows.findall(second))) == 30
    assert 'rel="next" href="/portal/messages?page=2"' in first and 'rel="prev"' in second
    for odd in ODD_PAGES:
        assert http.get("/portal/messages", query_string={"page": odd}).status_code == 200


def test_needs_review_shows_the_newest_and_counts_them_all(app, world):
    """The home: the newest 10 and "See all"; the client log: the newest 25; the Needs Review page: 25 a page."""
    client = world["client"]
    sf.pending_contacts(client, world["partner"], 30)  # "Session 0" oldest ... "Session 29" newest
    db.session.commit()
    http = signed_in(app, world["sup"])

    def review_rows(page: str) -> str:
        return re.search(r'<ul class="needs-review">(.*?)</ul>', page, re.S).group(1)

    home = html(http.get("/staff/"))
    rows = review_rows(home)
    assert rows.count('class="review-row"') == 10 and "Session 20<" in rows and "Session 19<" not in rows
    assert 'id="needs-review-count" class="badge badge-count">30<' in home
    assert '<a href="/staff/needs-review">See all 30 contacts that need review</a>' in home
    log = html(http.get(f"/staff/clients/{client.id}/log"))
    rows = review_rows(log)
    assert rows.count('class="review-row"') == 25 and "Session 5<" in rows and "Session 4<" not in rows
    assert 'id="needs-review-count" class="badge badge-count">30<' in log and "Showing the newest 25" in log
    first, second = html(http.get("/staff/needs-review")), html(http.get("/staff/needs-review?page=2"))
    assert review_rows(first).count('class="review-row"') == 25 and "Session 5<" in review_rows(first)
    assert review_rows(second).count('class="review-row"') == 5 and "Session 4<" in review_rows(second)
    for odd in ODD_PAGES:
        assert http.get("/staff/needs-review", query_string={"page": odd}).status_code == 200


def test_needs_review_counter_stops_at_99(app, world):
    sf.pending_contacts(world["client"], world["partner"], 101)
    db.session.commit()
    page = html(signed_in(app, world["sup"]).get("/staff/"))
    assert 'id="needs-review-count" class="badge badge-count">99+<' in page
