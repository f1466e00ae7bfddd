"""Needs Review on the staff site: the home list, Mark as Reviewed with and without htmx."""
from __future__ import annotations

import re

import pytest

from portal_app.extensions import db
from portal_app.sharing.models import Contact
from tests import factories
from tests import factories as sf
from tests.sites.staff.sharing.helpers import HTMX, OOB_COUNTER_RE, audit_rows, html, pages, path_of, post


def review_url(contact: Contact) -> str:
    return f"/staff/contacts/{contact.id}/review"


def test_home_lists_needs_review_with_a_counter(staff, record):
    page = html(staff.get("/staff/"))
    row = page[page.index(f'id="review-{record["contact"].id}"'):]
    assert 'id="needs-review-count" class="badge badge-count">1<' in page
    assert f'href="{pages(record)["log"]}">Marisol Quintero</a>' in row
    assert f'href="{pages(record)["contact"]}"' in row and "Attended group." in row and "Second line." not in row
    assert f'hx-post="{review_url(record["contact"])}"' in row and 'hx-target="closest li"' in row
    assert f'action="{review_url(record["contact"])}"' in row and 'name="next" value="/staff/"' in row


def test_htmx_review_answers_an_empty_row_and_the_counter_out_of_band(staff, people, record):
    other = sf.contact(record["client"], people["partner"])
    db.session.commit()
    resp = post(staff, review_url(record["contact"]), {"next": "/staff/", "counter": "home"}, headers=HTMX)
    body = html(resp)
    assert resp.status_code == 200 and "HX-Request" in resp.headers["Vary"]
    assert OOB_COUNTER_RE.search(body).group(1) == "1"
    assert "1 more needs review." in body  # the status line says what happened (tests/sites/staff/test_home_panels.py)
    rest = re.sub(r'<(p|div) [^>]*hx-swap-oob="true">.*?</\1>', "", OOB_COUNTER_RE.sub("", body), flags=re.S)
    assert rest.strip() == ""  # nothing else but out-of-band parts: the row goes
    assert record["contact"].reviewed_by_id == people["case_manager"].id
    assert other.needs_review
    # Pressed again (a double click): still fine, nothing recorded twice.
    again = post(staff, review_url(record["contact"]), {"next": "/staff/", "counter": "home"}, headers=HTMX)
    assert again.status_code == 200 and OOB_COUNTER_RE.search(html(again)).group(1) == "1"
    assert len(audit_rows("contact.reviewed")) == 1
    log = html(staff.get(pages(record)["log"]))
    entry = log[log.index(f'id="contact-{record["contact"].id}"'):]
    tags = entry[:entry.index("</p>")]
    assert re.findall(r'<span class="tag [^"]+">([^<]+)</span>', tags) == ["Actual", "Third-Party", "Reviewed"]
    assert f"Reviewed by {people['case_manager'].display_name} on" in entry


def test_htmx_review_on_the_client_log_updates_the_entry_too(staff, record):
    resp = post(staff, review_url(record["contact"]), {"next": pages(record)["log"], "counter": "client"},
                headers=HTMX)
    body = html(resp)
    assert resp.status_code == 200 and OOB_COUNTER_RE.search(body).group(1) == "0"
    assert f'<li class="contact-entry" id="contact-{record["contact"].id}" hx-swap-oob="true">' in body
    assert ">Reviewed</span>" in body


def test_review_without_javascript_redirects_back(staff, people, record):
    resp = post(staff, review_url(record["contact"]), {"next": "/staff/", "counter": "home"})
    assert resp.status_code == 302 and path_of(resp) == "/staff/"
    assert not record["contact"].needs_review
    home = html(staff.get("/staff/"))
    assert "The contact was marked as reviewed." in home and f'id="review-{record["contact"].id}"' not in home
    assert 'id="needs-review-count" class="badge badge-count">0<' in home
    again = post(staff, review_url(record["contact"]), {"next": pages(record)["log"]})
    assert again.status_code == 302 and path_of(again) == pages(record)["log"]
    assert len(audit_rows("contact.reviewed")) == 1


@pytest.mark.parametrize("bad_next", ["https://evil.example/staff/", "//evil.example/", "/partner/", ""])
def test_review_next_must_stay_on_the_staff_site(staff, record, bad_next):
    resp = post(staff, review_url(record["contact"]), {"next": bad_next})
    assert resp.status_code == 302 and resp.headers["Location"] == pages(record)["log"]


def test_reviewing_a_staff_contact_is_refused(staff, people, record):
    own = sf.contact(record["client"], people["case_manager"])
    db.session.commit()
    resp = post(staff, review_url(own), {"next": "/staff/"})
    assert resp.status_code == 422 and "Only contacts recorded by a partner organization" in html(resp)
    assert own.reviewed_at is None


def test_needs_review_scope_on_home(client, auth, people, record):
    """A case manager sees the contacts of their care team's clients; a supervisor the whole agency."""
    not_mine = sf.contact(sf.client(people["admin"].organization, first_name="Colleagues"), people["partner"])
    foreign = sf.contact(sf.client(factories.agency(), first_name="Foreign"), people["partner"])
    db.session.commit()
    on_caseload = record["contact"]
    auth.login(people["case_manager"])
    page = html(client.get("/staff/"))
    assert f'id="review-{on_caseload.id}"' in page and f'id="review-{not_mine.id}"' not in page
    assert f'id="review-{foreign.id}"' not in page and "Foreign" not in page and "Colleagues" not in page
    assert 'id="needs-review-count" class="badge badge-count">1<' in page
    auth.logout()
    auth.login(people["supervisor"])
    page = html(client.get("/staff/"))
    assert f'id="review-{on_caseload.id}"' in page and f'id="review-{not_mine.id}"' in page
    assert f'id="review-{foreign.id}"' not in page
    assert 'id="needs-review-count" class="badge badge-count">2<' in page


def _listed_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="review-row" id="review-(\d+)">', page)]


def test_the_home_shows_the_newest_ten_and_leads_to_the_whole_list(staff, people, record):
    """Ten rows on the home, as the other panels, then "See all"; the Needs Review page has them all, 25 a
    page, newest first, with the client's name, Mark as Reviewed coming back to the same page, and a pager."""
    rows = sf.pending_contacts(record["client"], people["partner"], 29)  # 30 pending with the record's
    db.session.commit()
    newest_first = [c.id for c in sorted([*rows, record["contact"]], key=lambda c: (c.occurred_at, c.id),
                                         reverse=True)]
    home = html(staff.get("/staff/"))
    assert _listed_ids(home) == newest_first[:10]
    assert '<a href="/staff/needs-review">See all 30 contacts that need review</a>' in home

    first = staff.get("/staff/needs-review")
    page = html(first)
    assert first.status_code == 200 and "<h1>Needs Review" in page
    assert 'id="needs-review-count" class="badge badge-count">30<' in page
    assert _listed_ids(page) == newest_first[:25]
    assert f'href="{pages(record)["log"]}">Marisol Quintero</a>' in page
    assert 'name="next" value="/staff/needs-review"' in page and 'name="counter" value="home"' in page
    assert 'rel="next" href="/staff/needs-review?page=2"' in page and "See all" not in page

    second = html(staff.get("/staff/needs-review?page=2"))
    assert _listed_ids(second) == newest_first[25:]
    assert 'rel="prev" href="/staff/needs-review?page=1"' in second and 'rel="next"' not in second
    assert 'name="next" value="/staff/needs-review?page=2"' in second

    # Without JavaScript, Mark as Reviewed comes back to the page it was pressed on.
    oldest = db.session.get(Contact, newest_first[-1])
    resp = post(staff, review_url(oldest), {"next": "/staff/needs-review?page=2", "counter": "home"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/staff/needs-review?page=2")
    assert _listed_ids(html(staff.get("/staff/needs-review?page=2"))) == newest_first[25:-1]


def test_the_needs_review_page_past_the_end_and_junk_pages(staff, record):
    past = staff.get("/staff/needs-review?page=7")
    assert past.status_code == 200
    assert 'There are no contacts to review on this page. <a rel="first" href="/staff/needs-review"' in html(past)
    for junk in ("abc", "-3", "99999999999999999999"):
        resp = staff.get(f"/staff/needs-review?page={junk}")
        assert resp.status_code == 200
        if junk != "99999999999999999999":  # clamped to page 1, or to the last page number allowed
            assert _listed_ids(html(resp)) == [record["contact"].id]


def test_the_needs_review_page_keeps_to_the_actors_scope(client, auth, people, record):
    """A case manager sees their caseload's contacts; a supervisor the agency's; nobody another agency's."""
    agency = people["admin"].organization
    not_mine = sf.contact(sf.client(agency, first_name="Other", last_name="Client"), people["partner"])
    elsewhere = sf.contact(sf.client(factories.agency()), people["partner"])
    db.session.commit()
    auth.login(people["case_manager"])
    assert _listed_ids(html(client.get("/staff/needs-review"))) == [record["contact"].id]
    auth.logout()
    auth.login(people["supervisor"])
    seen = _listed_ids(html(client.get("/staff/needs-review")))
    assert sorted(seen) == sorted([record["contact"].id, not_mine.id]) and elsewhere.id not in seen


def test_the_needs_review_page_costs_the_same_statements_whatever_the_number_of_contacts(staff, people, record):
    from tests.sql import count_statements

    def statements() -> int:
        with count_statements() as seen:
            assert staff.get("/staff/needs-review").status_code == 200
        return len(seen)

    few = statements()
    sf.pending_contacts(record["client"], people["partner"], 60)
    db.session.commit()
    assert statements() == few
