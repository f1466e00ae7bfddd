"""Clients on the staff site: the list, search, paging, and bounded queries (P3)."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from portal_app.clients.models import Client
from portal_app.extensions import db
from tests import factories
from tests.factories import clients as client_factories
from tests.sites.staff.admin.helpers import html
from tests.sites.staff.clients.helpers import LIST, profile
from tests.sql import count_statements


def test_list_shows_the_agencys_clients(staff, roster, case_manager):
    elsewhere = client_factories.client(factories.agency(), first_name="Zora", last_name="Elsewhere")
    db.session.commit()
    resp = staff.get(LIST)
    page = html(resp)
    assert resp.status_code == 200 and "<html" in page
    assert page.index("Garcia, Maria") < page.index("Lopez, Ana") < page.index("Whitfield, James")
    assert f'href="{profile(roster["maria"])}"' in page
    assert "Mar" not in "Zora" and "Elsewhere" not in page and str(elsewhere.id) not in re.findall(r"clients/(\d+)", page)
    assert "(541) 555-0101" in page and case_manager.display_name in page
    assert "3 clients" in page
    assert 'href="/staff/clients/new"' in page


def test_every_staff_page_links_to_clients(staff):
    assert f'href="{LIST}"' in html(staff.get("/staff/")) and f'href="{LIST}"' in html(staff.get("/staff/account"))


def test_search_by_name_and_by_phone(staff, roster):
    by_name = html(staff.get(LIST, query_string={"q": "garc"}))
    assert "Garcia, Maria" in by_name and "Whitfield" not in by_name and "1 client matching" in by_name
    assert 'value="garc"' in by_name  # the search box keeps the words
    by_phone = html(staff.get(LIST, query_string={"q": "5550102"}))
    assert "Whitfield, James" in by_phone and "Garcia" not in by_phone
    nothing = html(staff.get(LIST, query_string={"q": "nobody"}))
    assert "No clients match" in nothing


def test_live_search_markup_works_with_and_without_javascript(staff, roster):
    page = html(staff.get(LIST))
    form = re.search(r'<form class="client-search" method="get" action="/staff/clients"[^>]*>(.*?)</form>', page, re.S)
    assert form and 'name="q"' in form.group(1) and '<button type="submit">Search</button>' in form.group(1)
    box = re.search(r"<input type=\"search\"[^>]*>", form.group(1)).group(0)
    for attribute in ('hx-get="/staff/clients"', 'hx-trigger="input changed delay:300ms, search"',
                      'hx-target="#client-results"', 'hx-push-url="true"'):
        assert attribute in box


def test_htmx_gets_the_fragment_and_the_page_includes_the_same_markup(staff, roster):
    fragment = staff.get(LIST, query_string={"q": "garcia"}, headers={"HX-Request": "true"})
    full = staff.get(LIST, query_string={"q": "garcia"})
    assert fragment.status_code == full.status_code == 200
    assert "<html" not in html(fragment) and "<nav aria-label=\"Main\"" not in html(fragment)
    assert "Garcia, Maria" in html(fragment) and "Whitfield" not in html(fragment)
    results = re.search(r'<div id="client-results">(.*)</div>\s*</main>', html(full), re.S).group(1)
    assert results.split() == html(fragment).split()
    for resp in (fragment, full):
        assert "HX-Request" in resp.headers["Vary"] and resp.headers["Cache-Control"] == "no-store"


def test_history_restore_gets_the_whole_page(staff, roster):
    resp = staff.get(LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in html(resp)


def test_pages_of_25_keep_the_search(staff, agency, case_manager):
    client_factories.many_clients(agency, 30, case_manager)
    db.session.commit()
    first = html(staff.get(LIST, query_string={"q": "bulk"}))
    assert first.count('<td class="avatar-cell">') == 25 and "Page 1 of 2" in first
    assert 'href="/staff/clients?q=bulk&amp;page=2"' in first and 'rel="prev"' not in first
    second = html(staff.get(LIST, query_string={"q": "bulk", "page": "2"}))
    assert second.count('<td class="avatar-cell">') == 5
    assert 'href="/staff/clients?q=bulk&amp;page=1"' in second and 'rel="next"' not in second
    beyond = html(staff.get(LIST, query_string={"page": "9"}))
    assert "no clients on this page" in beyond and 'href="/staff/clients?page=1"' in beyond
    for odd in ("abc", "-3", "9" * 40, "0"):
        assert staff.get(LIST, query_string={"page": odd, "q": "\x00%_\\"}).status_code == 200


def test_clients_without_a_photo_show_initials_not_an_image(staff, roster):
    page = html(staff.get(LIST))
    assert '<span class="avatar avatar-sm avatar-initials' in page and ">MG</span>" in page
    assert "/photo/" not in page


# --- P3: queries per page do not grow with the data -------------------------------------------


def test_list_queries_are_bounded_whatever_the_number_of_clients(staff, agency, case_manager):
    client_factories.many_clients(agency, 10, case_manager)
    db.session.commit()
    with count_statements() as few:
        assert staff.get(LIST).status_code == 200
    client_factories.many_clients(agency, 490, case_manager)
    db.session.commit()
    assert db.session.scalar(select(func.count(Client.id)).where(Client.organization_id == agency.id)) == 500
    with count_statements() as many:
        page = html(staff.get(LIST))
    assert page.count('<td class="avatar-cell">') == 25 and "Page 1 of 20" in page
    # 4 today: the signed-in person, the page of clients, their care teams, the count.
    assert len(few) == len(many) <= 6, (few, many)
    with count_statements() as searched:
        assert staff.get(LIST, query_string={"q": "bulk 555"}, headers={"HX-Request": "true"}).status_code == 200
    assert len(searched) <= len(many)


def test_profile_queries_do_not_grow_with_the_care_team(staff, agency, case_manager):
    small = client_factories.client(agency, care_team=((case_manager, "Primary case manager"),))
    team = tuple((factories.user(agency), "Case manager") for _ in range(12))
    large = client_factories.client(agency, care_team=team)
    db.session.commit()
    counts = []
    for person in (small, large):
        with count_statements() as statements:
            assert staff.get(profile(person)).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
