"""Normalized, indexed client search: accent- and case-folded words, phone digits, an alphabetical sort key.

Staff type "gonzalez", "NUNEZ", "pena" or "541 555 0101" and expect González, Núñez, Peña and the
client whose phone is "(541) 555-0101". Every client has rows in `client_search_term` — its folded
name words, its email and its phone digits (whole, last 10, last 7, last 4) — and a search word
matches a client when it is the prefix of one of its terms: a range scan on the index
(organization_id, term), the same on SQLite and PostgreSQL. `Client.sort_name` (folded
"last first middle") orders the list the way the alphabet does (Álvarez before Whitaker).

The model keeps all of it: column defaults fill `sort_name` and `phone_digits` on every insert
(bulk ones too), mapper events refresh them and the terms on every ORM insert and update; code that
bulk-inserts clients calls `index_clients(ids)` afterwards (as the migration does for old rows).
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, ForeignKey, Index, String, delete, event, insert, inspect, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .models import Client
from .normalize import MAX_TERM, client_terms, digits, sort_key

# Byte order on PostgreSQL whatever the database's locale, so prefix ranges (see prefix_of) hold.
TERM_TYPE = String(MAX_TERM).with_variant(String(MAX_TERM, collation="C"), "postgresql")


class ClientSearchTerm(db.Model):
    """One searchable word of a client (see the module docstring)."""

    __tablename__ = "client_search_term"

    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(TERM_TYPE, primary_key=True)
    organization_id: Mapped[int] = mapped_column()

    __table_args__ = (Index("ix_client_search_term_org_term", organization_id, term, client_id),)


def prefix_of(word: str) -> ColumnElement[bool]:
    """The term starts with `word`: a half-open range that any B-tree index serves.

    Terms and words hold only [a-z0-9@._+-], all below "~" in byte order, so every term that starts
    with `word` lies between `word` and `word + "~"` — in byte ("C") order, which `COLLATE "C"`
    makes explicit on PostgreSQL (the index is built with it too).
    """
    column = ClientSearchTerm.term
    return (column >= word) & (column < word + "~")


def _rows(client_id: int, organization_id: int, terms: Iterable[str]) -> list[dict]:
    return [{"client_id": client_id, "organization_id": organization_id, "term": t} for t in sorted(terms)]


def index_clients(client_ids: Iterable[int]) -> None:
    """Rebuild the search terms, sort keys and phone digits of these clients (after bulk inserts or updates)."""
    ids = list(client_ids)
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        rows = db.session.execute(select(Client.id, Client.organization_id, Client.first_name, Client.middle_name,
                                         Client.last_name, Client.email, Client.phone).where(Client.id.in_(chunk)))
        terms: list[dict] = []
        for cid, org, first, middle, last, email, phone in rows:
            terms += _rows(cid, org, client_terms(first, middle, last, email, phone))
        db.session.execute(delete(ClientSearchTerm).where(ClientSearchTerm.client_id.in_(chunk)))
        if terms:
            db.session.execute(insert(ClientSearchTerm), terms)


_SEARCHED = ("first_name", "middle_name", "last_name", "email", "phone", "organization_id")


def _from_object(client: Client) -> tuple[str, str, str, str, str]:
    return (client.first_name or "", client.middle_name or "", client.last_name or "", client.email or "",
            client.phone or "")


@event.listens_for(Client, "before_insert")
@event.listens_for(Client, "before_update")
def _keep_columns(mapper, connection, client: Client) -> None:
    """The sort key and phone digits follow the names and the phone on every ORM write."""
    first, middle, last, _, phone = _from_object(client)
    client.sort_name = sort_key(first, middle, last)
    client.phone_digits = digits(phone)[:40]


@event.listens_for(Client, "after_insert")
@event.listens_for(Client, "after_update")
def _keep_terms(mapper, connection, client: Client) -> None:
    """The search terms follow the names, email and phone (same transaction, same connection)."""
    state = inspect(client)
    if state.persistent and not any(state.attrs[name].history.has_changes() for name in _SEARCHED):
        return  # an update of other fields (photo, address ...) leaves the terms as they are
    terms = client_terms(*_from_object(client))
    connection.execute(delete(ClientSearchTerm).where(ClientSearchTerm.client_id == client.id))
    if terms:
        connection.execute(insert(ClientSearchTerm), _rows(client.id, client.organization_id, terms))
