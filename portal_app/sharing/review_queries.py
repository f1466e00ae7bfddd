"""Needs Review: third-party contacts awaiting review, as the staff home, the Needs Review page and a client's
log list them and count them (split from queries.py: these reads are one concern, the people who review)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from ..accounts.models import Organization, User
from ..clients.models import Client
from ..db_types import display_name_of
from ..extensions import db
from ..paging import PER_PAGE, Page, capped_count, fetch_page
from ..statements import BoundStaff, is_case_manager, staff_params
from .models import Contact, ReviewWaiting, method_label_of, pending_review

NEEDS_REVIEW_CAP = 99  # the counter says "99+" beyond this: counting further costs more than the page


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One contact awaiting review as its Needs Review row shows it, read as plain columns: loading each row's
    contact, client, author and organization as objects cost the staff home half a millisecond of its CPU."""

    id: int
    client_id: int
    occurred_at: datetime
    method: str
    notes: str
    organization_name: str
    author_first_name: str
    author_last_name: str
    client_first_name: str
    client_last_name: str

    @property
    def method_label(self) -> str:
        return method_label_of(self.method)

    @property
    def author_name(self) -> str:
        return display_name_of(self.author_first_name, self.author_last_name)

    @property
    def client_name(self) -> str:
        return display_name_of(self.client_first_name, self.client_last_name)

    @property
    def first_line(self) -> str:
        return self.notes.split("\n", 1)[0]


def _review_rows(stmt, params: dict[str, Any]) -> list[ReviewRow]:
    return [ReviewRow(*row) for row in db.session.execute(stmt, params)]


@cache
def _review_columns():
    """What a Needs Review row shows, newest first: the contact with its organization's, author's and client's
    names (inner joins: each is required)."""
    author, client = aliased(User, name="author"), aliased(Client, name="review_client")
    return (select(Contact.id, Contact.client_id, Contact.occurred_at, Contact.method, Contact.notes,
                   Organization.name, author.first_name, author.last_name, client.first_name, client.last_name)
            .join(Organization, Organization.id == Contact.organization_id)
            .join(author, author.id == Contact.author_id)
            .join(client, client.id == Contact.client_id)
            .order_by(Contact.occurred_at.desc(), Contact.id.desc()))


def needs_review(actor: User, limit: int = NEEDS_REVIEW_CAP) -> list[ReviewRow]:
    """The newest `limit` contacts of the actor's Needs Review (at most the counter's cap)."""
    return needs_review_page(actor, limit)[0]


def needs_review_count(actor: User) -> int:
    """The Needs Review counter, at most NEEDS_REVIEW_CAP + 1 ("99+")."""
    return needs_review_page(actor, 0)[1]


def needs_review_page(actor: User, limit: int) -> tuple[list[ReviewRow], int]:
    """The staff home's Needs Review: its newest `limit` contacts and the counter (at most NEEDS_REVIEW_CAP + 1),
    from one bounded read of the pending contacts' ids and one load of the rows shown.

    The ids come newest first, at most the cap and one more: their number is the counter and the first
    `limit` are the page. Asked apart, the page and the count each read the pending contacts, and PostgreSQL
    planned both."""
    ids = list(db.session.scalars(_needs_review_ids_statement(is_case_manager(actor), NEEDS_REVIEW_CAP + 1),
                                  staff_params(actor)))
    if not ids or limit <= 0:
        return [], len(ids)
    return _review_rows(_review_rows_by_id_statement(), {"ids": ids[:limit]}), len(ids)


def needs_review_list(actor: User, page: Any = 1, per_page: int = PER_PAGE) -> Page[ReviewRow]:
    """One page of the actor's whole Needs Review, newest first (the Needs Review page): a page of ids from
    the same ranges as the home's, then the rows shown (two statements whatever the page)."""
    ids = fetch_page(_needs_review_ids_statement(is_case_manager(actor), None), page, per_page,
                     params=staff_params(actor))
    if ids.items:
        ids.items = _review_rows(_review_rows_by_id_statement(), {"ids": ids.items})
    return ids


@cache
def _needs_review_ids_statement(case_manager: bool, cap: int | None):
    """Third-party contacts awaiting review, newest first: for a case manager those of their caseload, for
    supervisors and administrators the agency's. Built once per process for each kind of role (`cap` None:
    the Needs Review page limits it to its page).

    The agency's are one range of a partial index on the contacts' copy of their client's agency: checking the
    client's agency per row walked every agency's pending contacts of the deployment. A case manager's are one
    range of their ReviewWaiting entries (kept with the contacts and care teams). Read from the contacts, a
    large caseload walked the agency's newest pending contacts to find its own (582 for a hundred, for a
    caseload of 1,497 at 10k: 2 ms on PostgreSQL), and a small one read each of its clients' in turn."""
    actor = BoundStaff(case_manager)
    if not case_manager:
        stmt = (select(Contact.id).where(Contact.agency_id == actor.organization_id, pending_review())
                .order_by(Contact.occurred_at.desc(), Contact.id.desc()))
    else:
        stmt = (select(ReviewWaiting.contact_id)
                .where(ReviewWaiting.user_id == actor.id, ReviewWaiting.agency_id == actor.organization_id)
                .order_by(ReviewWaiting.occurred_at.desc(), ReviewWaiting.contact_id.desc()))
    return stmt.limit(cap)


@cache
def _review_rows_by_id_statement():
    """Needs Review rows by contact id, newest first (still awaiting review: one reviewed since its id was read
    is not shown)."""
    return _review_columns().where(Contact.id.in_(bindparam("ids", expanding=True)), pending_review())


@cache
def _client_review_rows_statement():
    """The newest of one client's contacts awaiting review (its partial index), as Needs Review rows."""
    return _review_columns().where(Contact.client_id == bindparam("client_id"), pending_review()).limit(bindparam("limit"))


def client_needs_review(client: Client, limit: int) -> list[ReviewRow]:
    """The newest of this client's contacts awaiting review (the client log's Needs Review), one query."""
    return _review_rows(_client_review_rows_statement(), {"client_id": client.id, "limit": limit})


def client_needs_review_count(client: Client) -> int:
    """How many of this client's third-party contacts await review (the client log's counter), capped."""
    count, capped = capped_count(select(Contact.id).where(Contact.client_id == client.id, pending_review()),
                                 NEEDS_REVIEW_CAP)
    return count + capped
