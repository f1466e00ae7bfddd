"""The registry of client items that staff may hide from one representative (per-representative visibility).

Each kind of portal-visible item registers how to load one of a client's items and how to list them
for the staff screen. Today the only kind is the other accesses themselves ("Who else can act for
this client" on the portal home); documents, messages and requests register here when they arrive,
and their portal queries filter with `policy.visible_to(access, "<kind>", <Model>.id)`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..clients.models import Client
from ..extensions import db
from .models import ClientAccess
from .naming import access_person


@dataclass(frozen=True)
class ItemType:
    """How staff see one kind of item: its name, one item of a client, and all of them; which of them
    representatives added later must not see."""

    label: str
    load: Callable[[Client, int], Any | None]  # the client's item with this id, or None
    items: Callable[[Client], list[tuple[int, str]]]  # (id, what staff read) of each item
    # Items that follow this one when it is hidden or shown again, as (item type, item id): e.g. the form a
    # request sent to the portal is hidden with the request.
    companions: Callable[[Any], list[tuple[str, int]]] | None = None
    # (id, staff user who chose) of the client's items meant for one representative only: hidden from each
    # representative added later too (hiding.hide_from_new_access). None: the kind has no such items.
    kept_from_new: Callable[[Client], list[tuple[int, int]]] | None = None


def _load_access(client: Client, item_id: int) -> ClientAccess | None:
    access = db.session.get(ClientAccess, item_id)
    if access is None or access.client_id != client.id or not access.active:
        return None
    return access


def _describe_access(access: ClientAccess) -> str:
    return f"{access_person(access)} can act for this client"


def _list_accesses(client: Client) -> list[tuple[int, str]]:
    rows = db.session.scalars(
        select(ClientAccess).options(joinedload(ClientAccess.account))
        .where(ClientAccess.client_id == client.id, ClientAccess.active)
        .order_by(ClientAccess.id)
    )
    return [(a.id, _describe_access(a)) for a in rows]


ITEM_TYPES: dict[str, ItemType] = {
    "client_access": ItemType("Who else can act for the client", _load_access, _list_accesses),
}


def register(name: str, item_type: ItemType) -> None:
    """A domain (documents, messages, requests) makes its items hideable."""
    ITEM_TYPES[name] = item_type


def hideable_items(client: Client, access: ClientAccess) -> list[tuple[str, int, str]]:
    """(item type, item id, description) of the client's items that may be hidden from this representative."""
    if access.is_self:
        return []
    found = []
    for name, item_type in ITEM_TYPES.items():
        for item_id, description in item_type.items(client):
            if name == "client_access" and item_id == access.id:
                continue  # a representative always sees their own access
            found.append((name, item_id, description))
    return found
