"""How a request's transaction starts and ends, on SQLite and PostgreSQL alike.

SQLite allows one writer. A deferred `BEGIN` that reads and then writes fails at once with
SQLITE_BUSY ("database is locked") when another connection committed in between: busy_timeout
never applies to that upgrade. So every transaction that may write starts with `BEGIN IMMEDIATE`,
which takes the write lock first and waits for it (busy_timeout) instead of failing.

A plain GET (or HEAD) is a read-only request: its transaction is a deferred `BEGIN` that holds no
lock while the page renders. The audit events it records (views of a client's record) are kept
aside and written at the end of the request in one short IMMEDIATE transaction, before the
response leaves; if that fails the person gets the 503 page, not the page they asked for (S13:
nothing is shown unaudited). A GET view that changes rows itself (marking a conversation read)
says so with `@writes_on_get` and gets an IMMEDIATE transaction from the start. A sign-in POST
(`@reads_before_writing`) checks the password in a read transaction and takes the write lock only
when its service calls `start_writing()`, so argon2 never runs under the lock.

Outside a request (CLI, worker, tests) every transaction is IMMEDIATE, except inside
`reading_only()` (`flask audit-verify`). On PostgreSQL only the audit rows' end-of-request write
applies; nothing here takes a lock there.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import Flask, current_app, g, has_request_context, request

from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE")


def writes_on_get(view: Callable) -> Callable:
    """Declare that this view changes rows on GET too (its transaction starts ready to write)."""
    view.caseport_writes_on_get = True
    return view


_reading_only: ContextVar[bool] = ContextVar("caseport_reading_only", default=False)


@contextmanager
def reading_only() -> Iterator[None]:
    """Transactions begun inside are deferred reads (`flask audit-verify`): they never block writers."""
    token = _reading_only.set(True)
    try:
        yield
    finally:
        _reading_only.reset(token)


def reads_before_writing(view: Callable) -> Callable:
    """Declare a POST that reads (and checks a password) before it writes: it begins as a read, and
    the service calls `start_writing()` before its first write, so the slow part holds no lock."""
    view.caseport_reads_before_writing = True
    return view


def read_only_request() -> bool:
    """True inside a GET/HEAD request whose view does not declare `@writes_on_get` (or `reading_only`),
    and in a `@reads_before_writing` request until it calls `start_writing()`."""
    if _reading_only.get():
        return True
    if not has_request_context() or g.get("_caseport_writing"):
        return False
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if request.method in READ_ONLY_METHODS:
        return not getattr(view, "caseport_writes_on_get", False)
    return getattr(view, "caseport_reads_before_writing", False)


def start_writing() -> None:
    """From here on the request writes. SQLite: its deferred read transaction (which wrote nothing)
    ends and the next statement begins IMMEDIATE, waiting for the lock; what was loaded reloads."""
    if not read_only_request():
        return
    g._caseport_writing = True
    session = db.session()
    if session.in_transaction() and session.connection().info.get("caseport_deferred"):
        session.rollback()


def sqlite_begin(conn) -> None:
    """Engine `begin` hook: IMMEDIATE unless the current request is read-only."""
    if conn.dialect.name == "sqlite":
        deferred = read_only_request()
        conn.info["caseport_deferred"] = deferred
        conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def refuse_writes_in_read_only_requests(conn, cursor, statement: str, *_args) -> None:
    """Engine hook: a write inside a read-only request would fail under load on SQLite; say where."""
    if has_request_context() and statement.lstrip()[:6].upper() in WRITE_STATEMENTS and read_only_request():
        message = (f"{request.method} {request.endpoint} writes in a read-only request; "
                   "declare the view @writes_on_get (portal_app/transactions.py)")
        if current_app.testing:
            raise RuntimeError(message)
        current_app.logger.error(message)


def write_after_request(row: Any) -> None:
    """Keep a row to be written when the read-only request ends (audit events of a GET)."""
    g.setdefault("_caseport_after_reads", []).append(row)


def _write_kept_rows(response):
    """after_request: write the kept rows in one short transaction; 503 if that fails."""
    rows = g.pop("_caseport_after_reads", None)
    if not rows:
        return response
    g._caseport_writing = True
    try:
        db.session.commit()  # end the read transaction (it wrote nothing)
        db.session.add_all(rows)
        db.session.commit()
    except SQLAlchemyError as err:
        # The page was rendered but its audit event is not stored: answer the 503 page instead.
        return current_app.make_response(current_app.handle_user_exception(err))
    finally:
        g._caseport_writing = False
    return response


def init_app(app: Flask) -> None:
    """Register the end-of-request writer (before the security headers, which then cover a 503)."""
    app.after_request(_write_kept_rows)
