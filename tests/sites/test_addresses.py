"""Addresses and the Part 2 banner (issue 10, item 13): the ZIP code once, on the address's line; the
partner list's 42 CFR Part 2 banner names the protected records on the page."""
from __future__ import annotations

import pytest

from portal_app.extensions import db
from tests import factories as pf


def html(resp) -> str:
    return resp.get_data(as_text=True)


def address_cell(page: str) -> str:
    start = page.index('<dd class="address">') + len('<dd class="address">')
    return page[start:page.index("</dd>", start)]


@pytest.mark.parametrize(("address", "zip_code", "shown"), [
    ("12 Oak St, Eugene, OR 97401", "97401", "12 Oak St, Eugene, OR 97401"),  # typed whole: the ZIP once
    ("12 Oak St, Eugene, OR 97401-1234", "97401", "12 Oak St, Eugene, OR 97401-1234"),
    ("12 Oak St, Eugene, OR", "97401", "12 Oak St, Eugene, OR 97401"),
    ("", "97401", "97401"),
    ("", "", "—"),
])
def test_the_zip_code_shows_once_to_staff_and_partners(client, auth, people, address, zip_code, shown):
    staff = people["admin"]
    person = pf.client(staff.organization, address=address, zip_code=zip_code)
    pf.share(person, people["partner"].organization, staff)
    db.session.commit()
    assert auth.login(people["partner"]).status_code == 302
    assert address_cell(html(client.get(f"/partner/clients/{person.id}"))).strip() == shown
    assert auth.login(staff).status_code == 302
    profile = html(client.get(f"/staff/clients/{person.id}"))
    assert address_cell(profile).strip() == shown and "ZIP Code</dt>" not in profile


def test_the_part2_banner_names_the_protected_clients(client, auth, people):
    staff, org = people["admin"], people["partner"].organization
    protected = pf.client(staff.organization, first_name="Paz", last_name="Protegida", part2_protected=True)
    plain = pf.client(staff.organization, first_name="Pat", last_name="Plain")
    for person in (protected, plain):
        pf.share(person, org, staff)
    db.session.commit()
    assert auth.login(people["partner"]).status_code == 302
    page = html(client.get("/partner/"))
    heading = page[page.index('id="part2-heading">'):page.index("</h2>", page.index('id="part2-heading">'))]
    assert "Paz Protegida" in heading and "Pat" not in heading and "Some records" not in page
    item = page[page.index("Paz Protegida</a>"):page.index("</li>", page.index("Paz Protegida</a>"))]
    assert "42 CFR Part 2" in item
