"""Sharing pages: bad input never answers 5xx (R4); queries per page do not grow (P3)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event

from portal_app.extensions import db
from tests import factories as sf
from tests.conftest import csrf_token
from tests.sites.staff.sharing.helpers import FUZZ, pages

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


@FUZZ
@given(occurred_at=st.one_of(TEXT, st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M"))),
       method=st.one_of(st.sampled_from(["phone", "video", "in_person"]), TEXT),
       location=TEXT, notes=TEXT, version=st.one_of(st.just("1"), TEXT), mark=st.sampled_from(["y", "", "maybe"]))
def test_contact_forms_never_fail_with_5xx(staff, record, occurred_at, method, location, notes, version, mark):
    data = {"occurred_at": occurred_at, "method": method, "location": location, "notes": notes}
    token = csrf_token(staff, pages(record)["log"])
    resp = staff.post(f"/staff/clients/{record['client'].id}/contacts", data={**data, "csrf_token": token})
    assert resp.status_code in (302, 422), resp.status_code
    resp = staff.post(pages(record)["edit"], data={**data, "version_id": version, "mark_reviewed": mark,
                                                    "csrf_token": token})
    assert resp.status_code in (302, 409, 422), resp.status_code


@pytest.fixture
def statements():
    """Count the SQL statements sent on the test's connection while `counting` is on."""
    seen: list[str] = []
    connection = db.session.get_bind()

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(connection, "before_cursor_execute", listener)
    yield seen
    event.remove(connection, "before_cursor_execute", listener)


def _queries_for(http, url: str, seen: list[str]) -> int:
    http.get(url)  # warm up: the first request of a session may load more (flash, language)
    seen.clear()
    assert http.get(url).status_code == 200
    return len(seen)


@pytest.mark.parametrize("url", ["/staff/", "log"])
def test_pages_need_the_same_queries_for_10_and_500_contacts(staff, people, record, statements, url):
    url = pages(record).get(url, url)
    counts = {}
    total = 1
    for target in (10, 500):
        sf.pending_contacts(record["client"], people["partner"], target - total)
        sf.contact(record["client"], people["case_manager"])  # staff contacts on the log as well
        db.session.commit()
        total = target
        counts[target] = _queries_for(staff, url, statements)
    print(f"P3 {url}: {counts}")
    assert counts[10] == counts[500], counts
