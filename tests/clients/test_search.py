"""Search the way staff type names: accents and case aside, phone digits whatever the formatting, the
alphabet's order; kept up to date by the model on every write (issue 8 item 5). Runs on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.clients.models import Client
from portal_app.clients.normalize import client_terms, fold, query_words, sort_key
from portal_app.clients.queries import search_clients
from portal_app.clients.search import ClientSearchTerm
from portal_app.extensions import db
from portal_app.paging import COUNT_CAP
from tests import factories
from tests.factories import clients as client_factories


@pytest.fixture
def people_by_name(agency):
    make = client_factories.client
    return {
        "gonzalez": make(agency, first_name="María", middle_name="Elena", last_name="González",
                         phone="(541) 555-0101", email="Maria.Gonzalez@Example.org"),
        "nunez": make(agency, first_name="Iñaki", last_name="Núñez", phone="+1 541.555.0177"),
        "pena": make(agency, first_name="José", last_name="Peña", phone="541 555 0199"),
        "alvarez": make(agency, first_name="Roberto", last_name="Álvarez Ruiz"),
        "whitaker": make(agency, first_name="James", last_name="Whitaker"),
        "oconnell": make(agency, first_name="Kevin", last_name="O'Connell"),
    }


def found(actor, q: str) -> set[str]:
    return {c.last_name for c in search_clients(actor, q).items}


@pytest.mark.parametrize(("q", "expected"), [
    ("gonzalez", {"González"}),
    ("GONZÁLEZ", {"González"}),  # upper case with an accent: SQLite's lower() alone misses this
    ("Gonz", {"González"}),
    ("maria gonz", {"González"}),
    ("elena", {"González"}),
    ("NUNEZ", {"Núñez"}),
    ("núñez", {"Núñez"}),
    ("inaki", {"Núñez"}),
    ("pena", {"Peña"}),
    ("PEÑA jose", {"Peña"}),
    ("alvarez", {"Álvarez Ruiz"}),
    ("ruiz", {"Álvarez Ruiz"}),
    ("alvarez-ruiz", {"Álvarez Ruiz"}),
    ("oconnell", {"O'Connell"}),
    ("o'con", {"O'Connell"}),
    ("maria.gonzalez@example", {"González"}),
    ("MARIA.GONZALEZ@EXAMPLE.ORG", {"González"}),
    ("nez", set()),  # a word matches from the start of a name, not from its middle
    ("gonzalez pena", set()),  # every word must match the same person
])
def test_accents_and_case_do_not_matter(case_manager, people_by_name, q, expected):
    assert found(case_manager, q) == expected


@pytest.mark.parametrize(("q", "expected"), [
    ("5415550101", {"González"}),
    ("(541) 555-0101", {"González"}),
    ("541-555-0101", {"González"}),
    ("541.555.0101", {"González"}),
    ("555-0177", {"Núñez"}),
    ("15415550177", {"Núñez"}),
    ("0199", {"Peña"}),
    ("541 555", {"González", "Núñez", "Peña"}),
])
def test_phone_digits_match_whatever_the_formatting(case_manager, people_by_name, q, expected):
    assert found(case_manager, q) == expected


def test_sorted_by_the_alphabet_accents_aside(case_manager, people_by_name):
    names = [c.last_name for c in search_clients(case_manager).items]
    assert names == ["Álvarez Ruiz", "González", "Núñez", "O'Connell", "Peña", "Whitaker"]


def test_other_agencies_are_not_searched(case_manager, people_by_name):
    client_factories.client(factories.agency(), first_name="Ana", last_name="González")
    assert [c.first_name for c in search_clients(case_manager, "gonzalez").items] == ["María"]


def test_edits_keep_the_search_terms_and_sort_key(case_manager, people_by_name):
    whitaker = people_by_name["whitaker"]
    whitaker.last_name, whitaker.phone = "Ærø", "(503) 555-0123"
    db.session.flush()
    assert found(case_manager, "aero") == {"Ærø"} and found(case_manager, "whitaker") == set()
    assert found(case_manager, "503-555-0123") == {"Ærø"}
    assert db.session.scalar(select(Client.sort_name).where(Client.id == whitaker.id)) == "aero james"
    whitaker.address = "1 Main Street"  # fields that are not searched leave the terms alone
    db.session.flush()
    assert found(case_manager, "aero") == {"Ærø"}


def test_bulk_inserted_clients_get_sort_keys_and_terms(agency, case_manager):
    ids = client_factories.many_clients(agency, 3, case_manager)
    stored = db.session.execute(select(Client.sort_name, Client.phone_digits).where(Client.id == ids[0])).one()
    assert stored.sort_name.startswith("client") and stored.phone_digits.startswith("541555")
    terms = set(db.session.scalars(select(ClientSearchTerm.term).where(ClientSearchTerm.client_id == ids[0])))
    assert {"5415550000", "5550000", "0000"} <= terms


def test_counts_stop_at_the_cap_and_say_so(agency, case_manager):
    client_factories.many_clients(agency, COUNT_CAP + 5, case_manager)
    page = search_clients(case_manager, "bulk")
    assert (page.total, page.total_capped, page.pages, page.has_next) == (COUNT_CAP, True, None, True)


def test_folding_rules():
    assert fold("Ñandú ØSTERGAARD Straße Çelik") == "nandu ostergaard strasse celik"
    assert sort_key("Roberto", "", "Álvarez Ruiz") < sort_key("James", "", "Whitaker")
    assert client_terms("Ana", "", "de la Cruz", "", "(541) 555-0101") == {
        "ana", "de", "la", "cruz", "5415550101", "5550101", "0101"}
    assert query_words("GONZÁLEZ (541) 555-0101 ana_g %", 8) == [
        ["gonzalez"], ["541"], ["5550101"], ["ana_g", "anag"], []]
