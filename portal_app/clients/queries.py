"""Reads of client records, always scoped to the acting staff member's agency."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Load, joinedload

from ..accounts.models import User
from ..authz import Permission, can
from ..errors import Forbidden, NotFound
from ..extensions import db
from ..paging import PER_PAGE, Page, capped_count, fetch_page
from ..plaintext import without_control_characters
from .models import CareTeamMember, Client
from .normalize import query_words
from .search import ClientSearchTerm, prefix_of

MAX_QUERY = 200
MAX_TERMS = 8


def _in_agency(actor: Any) -> ColumnElement[bool]:
    return Client.organization_id == actor.organization_id


class ClientNotFound(NotFound):
    """No client with this id in the actor's agency (another agency's client is not revealed)."""


def with_care_team() -> Load:
    """Eager-load the care team and its people in the client's own query (joined: a second SELECT ... IN
    cost the profile more than a millisecond of loader machinery for a team of two)."""
    return joinedload(Client.care_team).joinedload(CareTeamMember.user)


def with_photos() -> tuple[Load, Load]:
    """Eager-load the photo and thumbnail rows in the client's own query."""
    return joinedload(Client.photo), joinedload(Client.photo_thumb)


T = TypeVar("T")


def get_child_of_client(actor: Any, model: type[T], client: Client, object_id: int, not_found: type[NotFound]) -> T:
    """A row of `model` (with a client_id) belonging to this client of the staff actor's agency; else `not_found`."""
    row = db.session.get(model, object_id)
    if (row is None or row.client_id != client.id or not actor.is_staff
            or client.organization_id != actor.organization_id):
        raise not_found
    return row


def get_client_for_staff(
    actor: Any, client_id: int, permission: Permission = Permission.STAFF_CLIENTS, *, load: Iterable = ()
) -> Client:
    """The client of the actor's agency with this id; else ClientNotFound (404): another agency's is not revealed.

    A client the actor may see but not act on (`permission`) answers 403. `load`: loader options
    for what the page shows (with_care_team(), *with_photos()).
    """
    client = (db.session.scalars(select(Client).where(Client.id == client_id, _in_agency(actor)).options(*load))
              .unique().one_or_none())  # unique(): a joined care team gives a row per member
    if client is None or not can(actor, Permission.STAFF_CLIENTS, client):
        raise ClientNotFound
    if not can(actor, permission, client):
        raise Forbidden
    return client


get_client_for = get_client_for_staff  # the domain's loader under the project-wide name


def _matches(alternatives: list[str], organization_id: int) -> ColumnElement[bool]:
    """One word of the search: the start of one of the client's search terms (an index range scan)."""
    if not alternatives:
        return false()  # a word that folds to nothing ("%", an emoji) matches nobody
    return Client.id.in_(select(ClientSearchTerm.client_id).where(
        ClientSearchTerm.organization_id == organization_id, or_(*(prefix_of(w) for w in alternatives))))


def _clean(q: str) -> str:
    return without_control_characters(q[:MAX_QUERY])  # NUL breaks PostgreSQL


def name_conditions(actor: Any, q: str) -> list[ColumnElement[bool]]:
    """The client search's word conditions (prefix, accents and case aside), for other pickers of clients."""
    return [_matches(w, actor.organization_id) for w in query_words(_clean(q), MAX_TERMS)]


def search_clients(actor: Any, q: str = "", page: Any = 1, per_page: int = PER_PAGE) -> Page[Client]:
    """The actor's agency's clients matching every word of `q` by prefix, accents and case aside, by name.

    Two queries whatever the number of clients (a count that stops at COUNT_CAP; the page plus one row,
    with its care teams joined): P3, P6.
    """
    words = query_words(_clean(q), MAX_TERMS)  # a pasted paragraph does not become a query with hundreds of ranges
    conditions = [_in_agency(actor), *(_matches(w, actor.organization_id) for w in words)]
    # With words, sort the (few) matches rather than walk the whole agency in name order probing each client:
    # "|| ''" keeps both planners from choosing the name index for the order.
    order = Client.sort_name.concat("") if words else Client.sort_name
    # The list shows the care team's names: their whole user rows cost the page a tenth of its time, and a
    # second SELECT ... IN for the teams 1.3 ms of loader machinery (joined: 0.7 ms).
    names = joinedload(Client.care_team).joinedload(CareTeamMember.user).load_only(User.first_name, User.last_name)
    stmt = select(Client).where(*conditions).options(names).order_by(order, Client.id)
    result = fetch_page(stmt, page, per_page)
    result.total, result.total_capped = capped_count(select(Client.id).where(*conditions))
    return result
