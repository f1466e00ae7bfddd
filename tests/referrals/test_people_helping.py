"""People I'm Helping (issue 14 item 7): the staff member's seekers, found by name, each with their referrals and
statuses; paged; the same few queries at 5 and at 50 seekers; live like the other dashboards."""
from __future__ import annotations

import re

import pytest

from portal_app.extensions import db
from portal_app.referrals import services
from tests import factories
from tests.conftest import Auth
from tests.sql import count_statements

from .conftest import send

POLL = {"HX-Request": "true", "X-Background-Poll": "1"}
URL = "/staff/referrals/people"


def _seekers(ref, n: int, helper=None) -> list:
    agency = ref.client.organization
    made = []
    for i in range(n):
        client = factories.client(agency, first_name=f"Seeker{i:03d}", last_name="Walker")
        send(helper or ref.helper, client, ref.program)
        made.append(client)
    db.session.commit()
    return made


def _signed_in(app, person):
    http = app.test_client()
    Auth(http).login(person)
    return http


def test_the_helpers_seekers_with_their_referrals_and_statuses(app, ref, people):
    services.change_status(ref.claimer, ref.referral, "accept")
    other = factories.client(ref.client.organization, first_name="Nobody", last_name="Referred")
    jordan = factories.user(ref.client.organization, "case_manager", email="jordan@agency.test")
    someone_elses = factories.client(ref.client.organization, first_name="Jordans", last_name="Seeker")
    send(jordan, someone_elses, ref.program)
    db.session.commit()
    http = _signed_in(app, ref.helper)
    assert "People I'm Helping</a>" in http.get("/staff/").get_data(as_text=True)  # in the navigation
    page = http.get(URL).get_data(as_text=True)
    seeker = re.search(rf'<li class="card" id="seeker-{ref.client.id}">.*?</li>', page, re.DOTALL).group(0)
    assert "Lopez" in seeker and "Rent Help" in seeker and "Accepted" in seeker
    assert other.last_name not in page and "Jordans" not in page  # not referred; referred by someone else


def test_search_by_name_uses_the_client_search(app, ref):
    _seekers(ref, 3)
    http = _signed_in(app, ref.helper)
    found = http.get(URL, query_string={"q": "lóp"}).get_data(as_text=True)  # accents and case aside, by prefix
    assert "Lopez" in found and "Seeker000" not in found
    none = http.get(URL, query_string={"q": "zzz"})
    assert none.status_code == 200 and "Nobody you are helping matches" in none.get_data(as_text=True)
    junk = http.get(URL, query_string={"q": "\x00%_" * 300, "page": "-4"})
    assert junk.status_code == 200


def test_paged(app, ref):
    _seekers(ref, 30)
    http = _signed_in(app, ref.helper)
    first = http.get(URL).get_data(as_text=True)
    assert first.count('class="card" id="seeker-') == 25 and 'rel="next"' in first
    second = http.get(URL, query_string={"page": 2}).get_data(as_text=True)
    assert second.count('class="card" id="seeker-') == 6


@pytest.mark.parametrize("path_headers", [({}, 200), (POLL, 204)], ids=["page", "poll"])
def test_bounded_queries_at_5_and_50_seekers(app, ref, path_headers):
    headers, status = path_headers
    http = _signed_in(app, ref.helper)
    counts = []
    for n in (4, 45):  # 5, then 50 seekers with the fixture's
        _seekers(ref, n)
        url = URL
        if headers:
            url = re.search(r'data-live-poll hx-get="([^"]+)"', http.get(URL).get_data(as_text=True)).group(1)
            url = url.replace("&amp;", "&")
        with count_statements() as statements:
            assert http.get(url, headers=headers).status_code == status
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_live_a_claimers_change_shows_on_the_helpers_list(app, ref):
    http = _signed_in(app, ref.helper)
    poll = re.search(r'data-live-poll hx-get="([^"]+)"', http.get(URL).get_data(as_text=True)).group(1)
    poll = poll.replace("&amp;", "&")
    assert http.get(poll, headers=POLL).status_code == 204
    services.change_status(ref.claimer, ref.referral, "accept")
    db.session.commit()
    fresh = http.get(poll, headers=POLL)
    assert fresh.status_code == 200 and "Accepted" in fresh.get_data(as_text=True)


def test_partners_and_portal_have_no_such_page(app, ref, client, auth):
    auth.login(ref.claimer)
    assert client.get(URL).status_code in (302, 403, 404)
