"""One page of a growing list: fetched as per_page + 1 rows, so "is there a next page" needs no COUNT (P6)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from .extensions import db

T = TypeVar("T")
PER_PAGE = 25
MAX_PER_PAGE = 100  # a caller asking for more rows a page gets this many
MAX_PAGE = 10_000  # keeps OFFSET a small number whatever ?page= says
COUNT_CAP = 1_000  # counts stop here ("1,000+"): counting every row of a big agency costs as much as listing it
LIMITED_KEPT = 512  # pages of statements built once per process, kept limited (see _limited)

_LIMITED: dict[tuple[int, int, int], tuple[Select, Select]] = {}


def clamp_page(page: Any) -> int:
    """A page number from 1 to MAX_PAGE; anything else (junk, negative, huge) becomes the nearest one."""
    try:
        number = int(page)
    except (TypeError, ValueError, OverflowError):
        return 1
    return min(max(number, 1), MAX_PAGE)


@dataclass
class Page(Generic[T]):
    """Rows of one page, and whether pages come before and after it."""

    items: list[T]
    page: int
    per_page: int
    has_next: bool
    total: int | None = None  # when counted: exact up to COUNT_CAP
    total_capped: bool = False  # the count stopped at COUNT_CAP

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> T:
        return self.items[index]

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    @property
    def pages(self) -> int | None:
        """How many pages, when the count is exact; None when it is not known."""
        if self.total is None or self.total_capped:
            return None
        return max(1, -(-self.total // self.per_page))

    @property
    def several(self) -> bool:
        """Whether a pager is worth showing."""
        return self.has_prev or self.has_next


def _limited(stmt: Select, limit: int, offset: int) -> Select:
    """`stmt` with this LIMIT and OFFSET, built once for a statement built once per process.

    A new SELECT loses the one it copies from its memoized cache key: SQLAlchemy walks the whole statement
    again to find its compiled form, 50-115 us for the Inbox's or the portal's list on every request. The
    numbers stay literals (a parameter would change PostgreSQL's generic plans), so each page number is its
    own entry. An entry holds its statement, so that id cannot be another statement's while it is kept."""
    key = (id(stmt), limit, offset)
    kept = _LIMITED.get(key)
    if kept is not None:
        return kept[1]
    limited = stmt.limit(limit).offset(offset)
    if len(_LIMITED) >= LIMITED_KEPT:
        _LIMITED.clear()
    _LIMITED[key] = (stmt, limited)
    return limited


def fetch_page(stmt: Select, page: Any, per_page: int = PER_PAGE, *, scalars: bool = True,
               params: dict[str, Any] | None = None) -> Page:
    """Run `stmt` (ordered) for one page: per_page + 1 rows, the extra one only says a next page exists.

    `params`: values of the statement's bound parameters (a statement built once per process, whose
    limited copy is kept too)."""
    number = clamp_page(page)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    limit, offset = per_page + 1, (number - 1) * per_page
    stmt = _limited(stmt, limit, offset) if params is not None else stmt.limit(limit).offset(offset)
    result = db.session.scalars(stmt, params) if scalars else db.session.execute(stmt, params)
    rows = list(result.unique().all() if scalars else result.all())
    return Page(rows[:per_page], number, per_page, len(rows) > per_page)


def capped_count(stmt: Select, cap: int = COUNT_CAP, params: dict[str, Any] | None = None) -> tuple[int, bool]:
    """How many rows `stmt` gives, counting at most cap + 1 of them: (count up to cap, whether capped)."""
    count = db.session.scalar(capped_count_statement(stmt, cap), params) or 0
    return min(count, cap), count > cap


def capped_count_statement(stmt: Select, cap: int = COUNT_CAP) -> Select:
    """The SELECT count(*) of capped_count (for a statement built once per process)."""
    return select(func.count()).select_from(stmt.order_by(None).limit(cap + 1).subquery())
