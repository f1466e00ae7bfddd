"""Hiding one client item from one representative, and showing it again (staff; audited, flushed).

Which kinds of item may be hidden is the registry in `visibility`; portal queries filter with
`policy.visible_to`. The client and every other representative still see a hidden item. An item's
companions (its `ItemType.companions`, e.g. the form a request sent to the portal) are hidden and shown with it.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..accounts.models import User
from ..clock import utcnow
from ..extensions import db
from .errors import NotARepresentative, UnknownItem
from .models import ClientAccess, HiddenItem
from .visibility import ITEM_TYPES


def _hidden_row(access: ClientAccess, item_type: str, item_id: int) -> HiddenItem | None:
    return db.session.scalar(select(HiddenItem).where(
        HiddenItem.access_id == access.id, HiddenItem.item_type == item_type, HiddenItem.item_id == item_id))


def _check_item(access: ClientAccess, item_type: str, item_id: int) -> Any:
    """The item (refused when it is not the client's, or the access is the client's own)."""
    if access.is_self:
        raise NotARepresentative
    kind = ITEM_TYPES.get(item_type)
    item = kind.load(access.client, item_id) if kind is not None else None
    if item is None:
        raise UnknownItem
    if item_type == "client_access" and item_id == access.id:
        raise UnknownItem  # a representative always sees their own access
    return item


def _companions(item_type: str, item: Any) -> list[tuple[str, int]]:
    follow = ITEM_TYPES[item_type].companions
    return [(t, i) for t, i in (follow(item) if follow else []) if t in ITEM_TYPES]


def _hide_one(actor: User, access: ClientAccess, item_type: str, item_id: int, **details: Any) -> bool:
    if _hidden_row(access, item_type, item_id) is not None:
        return False
    row = HiddenItem(access_id=access.id, item_type=item_type, item_id=item_id, hidden_by_id=actor.id,
                     hidden_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return False  # the same press twice at once: hidden either way
    audit.record("portal.item_hidden", actor, obj=row, client_id=access.client_id,
                 details={"access_id": access.id, "item_type": item_type, "item_id": item_id, **details})
    return True


def _show_one(actor: User, access: ClientAccess, item_type: str, item_id: int, **details: Any) -> bool:
    row = _hidden_row(access, item_type, item_id)
    if row is None:
        return False
    audit.record("portal.item_shown", actor, obj=row, client_id=access.client_id,
                 details={"access_id": access.id, "item_type": item_type, "item_id": item_id, **details})
    db.session.delete(row)
    db.session.flush()
    return True


def _with_companions(step, actor: User, access: ClientAccess, item_type: str, item_id: int) -> bool:
    """Hide or show (`step`) one item, then the items that follow it (the form a request sent to the portal)."""
    item = _check_item(access, item_type, item_id)
    if not step(actor, access, item_type, item_id):
        return False
    for companion_type, companion_id in _companions(item_type, item):
        step(actor, access, companion_type, companion_id, follows=[item_type, item_id])
    return True


def hide_item(actor: User, access: ClientAccess, item_type: str, item_id: int) -> bool:
    """Hide one item of the client from this representative only, and the items that follow it. True when
    newly hidden."""
    return _with_companions(_hide_one, actor, access, item_type, item_id)


def show_item(actor: User, access: ClientAccess, item_type: str, item_id: int) -> bool:
    """Show a hidden item to this representative again, and the items that follow it. True when it was hidden."""
    return _with_companions(_show_one, actor, access, item_type, item_id)


def hide_from_new_access(access: ClientAccess) -> list[tuple[str, int]]:
    """A representative just added to the client does not see the items meant for one other representative
    only (a draft emailed to one person): hidden as by the staff member who chose that person, and audited.
    The client's own access is never hidden from. Returns the (item type, item id) hidden."""
    if access.is_self:
        return []
    hidden = []
    for item_type, kind in ITEM_TYPES.items():
        for item_id, chosen_by_id in (kind.kept_from_new(access.client) if kind.kept_from_new else []):
            row = HiddenItem(access_id=access.id, item_type=item_type, item_id=item_id, hidden_by_id=chosen_by_id,
                             hidden_at=utcnow())
            db.session.add(row)
            db.session.flush()
            audit.record("portal.item_hidden", db.session.get(User, chosen_by_id), obj=row,
                         client_id=access.client_id, details={"access_id": access.id, "item_type": item_type,
                                                              "item_id": item_id, "new_access": True})
            hidden.append((item_type, item_id))
    return hidden
