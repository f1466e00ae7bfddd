"""P3 and P6: every busy page sends the same number of SQL statements at 10 and at 1,000 rows of what grows.

One `world` per test (tests/sites/conftest.py): an agency (supervisor and case manager with Messaging), a partner organization, a
client with their own portal account and a mother acting for them, shared with the partner, with a
conversation. `_grow` adds rows of everything that grows — clients, contacts (half awaiting review),
conversations, messages of the conversation, shares, the partner's contacts — first 10, then 990 more;
each page is counted at both sizes with a `before_cursor_execute` listener on the engine.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert

from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.sharing.models import ClientShare, Contact, ContactSource, rebuild_review_waiting
from tests.factories import clients as client_factories
from tests.conftest import Auth
from tests.messaging.helpers import bulk_conversations, bulk_messages
from tests.sites.portal.helpers import portal_login
from tests.sql import count_statements


def _grow(w: dict, n: int) -> None:
    """n more rows of everything that grows, in bulk."""
    client, sup, partner = w["client"], w["sup"], w["partner"]
    shared = client_factories.many_clients(sup.organization, n, w["cm"])
    start = utcnow() - timedelta(days=2)
    db.session.execute(insert(Contact), [
        {"client_id": client.id, "author_id": partner.id if i % 2 else w["cm"].id,
         "organization_id": partner.organization_id if i % 2 else sup.organization_id,
         "occurred_at": start + timedelta(minutes=i), "method": "phone", "notes": f"Contact {i}",
         "source": ContactSource.THIRD_PARTY if i % 2 else ContactSource.STAFF} for i in range(n)])
    bulk_conversations(client, sup, n, portal_account_id=w["own"].account_id)
    bulk_messages(w["conversation"], sup, n, w["mother"].account_id)
    db.session.execute(insert(ClientShare), [{"client_id": cid, "organization_id": partner.organization_id,
                                              "shared_by_id": sup.id, "note": "Bulk"} for cid in shared])
    rebuild_review_waiting()  # the bulk contacts skipped the events that keep each Needs Review
    db.session.commit()


def _counts(http, urls: list[str], headers: dict | None = None) -> dict[str, int]:
    counts = {}
    for url in urls:
        with count_statements() as statements:
            response = http.get(url, headers=headers)
        assert response.status_code == 200, url
        counts[url] = len(statements)
    return counts


def _same_at_10_and_1000(w: dict, http, urls: list[str], headers: dict | None = None) -> dict[str, int]:
    _grow(w, 10)
    small = _counts(http, urls, headers)
    _grow(w, 990)
    large = _counts(http, urls, headers)
    assert small == large, {url: (small[url], large[url]) for url in urls if small[url] != large[url]}
    return large


@pytest.mark.parametrize("role", ["sup", "cm"])
def test_staff_pages(app, world, role):
    http = app.test_client()
    assert Auth(http).login(world[role]).status_code == 302
    client, conv = world["client"], world["conversation"]
    urls = ["/staff/", "/staff/clients", f"/staff/clients/{client.id}", f"/staff/clients/{client.id}/log",
            "/staff/needs-review", "/staff/messages",
            f"/staff/messages/{conv.id}"]
    counts = _same_at_10_and_1000(world, http, urls)
    assert max(counts.values()) <= 16, counts


def test_client_search_fragment(app, world):
    http = app.test_client()
    assert Auth(http).login(world["sup"]).status_code == 302
    counts = _same_at_10_and_1000(world, http, ["/staff/clients?q=bulk", "/staff/clients?q=541+555"],
                                  headers={"HX-Request": "true"})
    assert max(counts.values()) <= 8, counts


def test_partner_pages(app, world):
    http = app.test_client()
    assert Auth(http).login(world["partner"]).status_code == 302
    _same_at_10_and_1000(world, http, ["/partner/", f"/partner/clients/{world['client'].id}"])


@pytest.mark.parametrize("who", ["own", "mother"])
def test_portal_pages(app, world, who):
    http = app.test_client()
    assert portal_login(http, world[who].account.username).status_code == 302
    conv = world["conversation"]
    _same_at_10_and_1000(world, http, ["/portal/", "/portal/messages", f"/portal/messages/{conv.id}"])
