"""Reads of client records, always scoped to the acting staff member's agency."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Load, joinedload, selectinload

from ..authz import Permission, can
from ..errors import Forbidden, NotFound
from ..extensions import db
from .models import CareTeamMember, Client

PER_PAGE = 25
MAX_PER_PAGE = 100
MAX_PAGE = 100_000
MAX_QUERY = 200
MAX_TERMS = 8
_PHONE_PUNCTUATION = " ()+-."


def _in_agency(actor: Any) -> ColumnElement[bool]:
    return Client.organization_id == actor.organization_id


class ClientNotFound(NotFound):
    """No client with this id in the actor's agency (another agency's client is not revealed)."""


def with_care_team() -> Load:
    """Eager-load the care team and its people: one extra query whatever the number of clients."""
    return selectinload(Client.care_team).joinedload(CareTeamMember.user)


def with_photos() -> tuple[Load, Load]:
    """Eager-load the photo and thumbnail rows in the client's own query."""
    return joinedload(Client.photo), joinedload(Client.photo_thumb)


def get_client_for_staff(
    actor: Any, client_id: int, permission: Permission = Permission.STAFF_CLIENTS, *, load: Iterable = ()
) -> Client:
    """The client of the actor's agency with this id; else ClientNotFound (404): another agency's is not revealed.

    A client the actor may see but not act on (`permission`) answers 403. `load`: loader options
    for what the page shows (with_care_team(), *with_photos()).
    """
    client = db.session.scalar(select(Client).where(Client.id == client_id, _in_agency(actor)).options(*load))
    if client is None or not can(actor, Permission.STAFF_CLIENTS, client):
        raise ClientNotFound
    if not can(actor, permission, client):
        raise Forbidden
    return client


get_client_for = get_client_for_staff  # the domain's loader under the project-wide name


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _phone_digits() -> ColumnElement[str]:
    """The stored phone number without the punctuation the form allows, for digit searches."""
    expr = Client.phone
    for ch in _PHONE_PUNCTUATION:
        expr = func.replace(expr, ch, "")
    return expr


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _term_matches(term: str) -> ColumnElement[bool]:
    """One word of the search: part of a name, the email, or (digits) the phone number."""
    pattern = f"%{_escape_like(term)}%"
    conditions = [
        column.ilike(pattern, escape="\\")
        for column in (Client.first_name, Client.middle_name, Client.last_name, Client.email, Client.phone)
    ]
    digits = _digits(term)
    if len(digits) >= 3:
        conditions.append(_phone_digits().like(f"%{digits}%"))
    return or_(*conditions)


def search_clients(actor: Any, q: str = "", page: int = 1, per_page: int = PER_PAGE) -> Pagination:
    """The actor's agency's clients matching every word of `q`, by last then first name, one page of them.

    Three queries whatever the number of clients (count, page, care teams): P3.
    """
    q = "".join(ch for ch in q[:MAX_QUERY] if unicodedata.category(ch) != "Cc")  # NUL breaks PostgreSQL
    terms = q.split()[:MAX_TERMS]  # a pasted paragraph does not become a query with hundreds of LIKEs
    stmt = (
        select(Client)
        .where(_in_agency(actor), *(_term_matches(t) for t in terms))
        .options(with_care_team())
        # lower(): the same order on SQLite (binary) and PostgreSQL (locale) whatever the typed case.
        .order_by(func.lower(Client.last_name), func.lower(Client.first_name), Client.id)
    )
    page = min(max(page, 1), MAX_PAGE)  # the OFFSET stays a small number
    return db.paginate(stmt, page=page, per_page=per_page, max_per_page=MAX_PER_PAGE, error_out=False)
