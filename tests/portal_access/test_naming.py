"""Staff read a portal person by their own name and who they are to the client (issue 10, item 8)."""
from __future__ import annotations

from portal_app.messaging import queries as messaging_queries
from portal_app.portal_access.naming import access_person
from tests import factories


def test_a_representative_reads_by_name_and_relationship(people):
    client = factories.client(people["admin"].organization, first_name="Sam", last_name="Delgado")
    mother = factories.access(factories.account("anad", full_name="Ana Delgado"), client, label="mother")
    unnamed = factories.access(factories.account("olddad"), client, label="father")  # registered before names
    own = factories.access(factories.account("sam", full_name="Sam Delgado"), client, relationship="self")
    assert access_person(mother) == "Ana Delgado, mother of Sam Delgado"
    assert access_person(unnamed) == "Father of Sam Delgado"
    assert access_person(own) == "Sam Delgado (the client)"
    senders = messaging_queries.portal_senders(client)
    assert senders[mother.account_id] == "Ana Delgado, mother of Sam Delgado"
    assert senders[unnamed.account_id] == "Father of Sam Delgado"


def test_older_messages_still_name_a_representative_whose_access_was_revoked(people):
    from portal_app.extensions import db

    client = factories.client(people["admin"].organization, first_name="Sam", last_name="Delgado")
    access = factories.access(factories.account("gone", full_name="Rubén Delgado"), client, label="father")
    access.revoked_at = access.granted_at
    db.session.flush()
    assert messaging_queries.portal_senders(client)[access.account_id] == "Rubén Delgado, father of Sam Delgado"
