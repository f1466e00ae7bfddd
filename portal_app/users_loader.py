"""Flask-Login: load the signed-in person from a site-prefixed id carrying the session epoch."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

from .extensions import db, login_manager
from .sites import current_site

# kind -> function(id) returning the person or None; domains add their kind.
LOADERS: dict[str, Callable[[int], Any]] = {}


def register_loader(kind: str, loader: Callable[[int], Any]) -> None:
    LOADERS[kind] = loader


_STATEMENTS: dict[str, Any] = {}


def _load_user(user_id: int):
    # The organization comes along: its module switches and name are read on nearly every page. So does the
    # Inbox badge's kept count (a staff page then needs no statement of its own for it: unread.known). The
    # statement is built once per process (building it each request cost as much as running it).
    stmt = _STATEMENTS.get("user")
    if stmt is None:
        from sqlalchemy import bindparam, select
        from sqlalchemy.orm import joinedload

        from .accounts.models import User
        from .messaging.unread import STAFF, kept_badge_column

        stmt = _STATEMENTS["user"] = (select(User, kept_badge_column(STAFF, User.id))
                                      .options(joinedload(User.organization)).where(User.id == bindparam("user_id")))
    row = db.session.execute(stmt, {"user_id": user_id}).first()
    if row is None:
        return None
    from .messaging.unread import STAFF, loaded_with_reader

    loaded_with_reader(STAFF, user_id, row[1])
    return row[0]


def load_actor(value: str) -> Any:
    """Parse `kind:id:epoch`; refuse another site's kind, a disabled account or an old epoch."""
    try:
        kind, raw_id, raw_epoch = value.split(":")
        ident, epoch = int(raw_id), int(raw_epoch)
    except ValueError:
        return None
    if kind != current_site() or kind not in LOADERS:
        return None
    actor = LOADERS[kind](ident)
    if actor is None or actor.session_epoch != epoch or not actor.is_active:
        return None
    if getattr(actor, "site", kind) != kind:
        return None
    return actor


def _load_portal_account(account_id: int):
    stmt = _STATEMENTS.get("portal")
    if stmt is None:  # built once, as the user's (Session.get builds its own statement on every call)
        from sqlalchemy import bindparam, select

        from .portal_access.models import PortalAccount

        stmt = _STATEMENTS["portal"] = select(PortalAccount).where(PortalAccount.id == bindparam("account_id"))
    return db.session.scalar(stmt, {"account_id": account_id})


def load_kiosk_device(request) -> Any:
    """On /kiosk only: the paired tablet whose device cookie this is (no session involved: a tablet stays
    paired until an administrator revokes it; a revoked or unknown cookie loads nobody)."""
    if current_site() != "kiosk":
        return None
    from .kiosk.devices import DEVICE_COOKIE, device_for_secret

    return device_for_secret(request.cookies.get(DEVICE_COOKIE))


def init_app(app: Flask) -> None:
    register_loader("staff", _load_user)
    register_loader("partner", _load_user)
    register_loader("portal", _load_portal_account)
    login_manager.user_loader(load_actor)
    login_manager.request_loader(load_kiosk_device)
