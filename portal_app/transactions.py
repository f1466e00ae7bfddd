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

Every request is one transaction, ended here and nowhere else (no view commits or rolls back):
`end_request` commits once the view (or an error handler) returned, whatever status it chose; an
exception that leaves a `before_request` hook or the view rolls everything back first (`abandon`,
called by `TransactionalFlask`). A refused service call inside a form view runs in `savepoint()`,
so re-rendering the form keeps nothing the refused call flushed. CLI commands and the worker are
not requests: they commit themselves.

Outside a request (CLI, worker, tests) every transaction is IMMEDIATE, except inside
`reading_only()` (`flask audit-verify`). On PostgreSQL nothing here takes a lock, and a read-only
request's audit rows are written in its own transaction, at its end (one COMMIT instead of two).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import Flask, current_app, g, has_request_context, request

from sqlalchemy import text
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


def abandon() -> None:
    """An exception left the view or a `before_request` hook: roll back everything the request did and
    forget the audit rows kept for its end; what the error handler records next is committed as usual."""
    g.pop("_caseport_after_reads", None)
    db.session.rollback()


def savepoint():
    """Run one service call in a SAVEPOINT: if it raises (a refusal), what it flushed is undone and the
    rest of the request's transaction stays, so a view can re-render its form and still return normally."""
    return db.session.begin_nested()


def database_state(table: str) -> str:
    """Readiness: "ok", "unreachable" (no answer) or "read-only" (a write that touches no row of
    `table` is refused: a read-only file, a read-only transaction default, a hot standby). The probe
    is rolled back here, so the request's end has nothing left to commit."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means not ready
        db.session.rollback()
        return "unreachable"
    try:
        db.session.execute(text(f"UPDATE {table} SET id = id WHERE 1 = 0"))
    except Exception:
        return "read-only"
    finally:
        db.session.rollback()
    return "ok"


class TransactionalFlask(Flask):
    """Flask whose every request is one transaction: rolled back where any exception is handled.

    Flask sends every exception raised by a `before_request` hook or a view through
    `handle_user_exception`, and one that no handler takes (or one raised by a handler) through
    `handle_exception`: the rollback sits in exactly those two places, before any error handler runs.
    The commit is `end_request`, an `after_request` hook, so it comes after the view (or the error
    handler) returned and before the response is sent. A wrapper around the view alone would miss
    what `before_request` hooks raise, and an `after_request` hook alone cannot tell an error
    handler's response from the view's.
    """

    def handle_user_exception(self, e: Exception):
        """Roll back, then let the registered error handler answer."""
        abandon()
        return super().handle_user_exception(e)

    def handle_exception(self, e: Exception):
        """Roll back, then answer 500 (or re-raise under the test client's PROPAGATE_EXCEPTIONS)."""
        abandon()
        return super().handle_exception(e)


def end_request(response):
    """after_request: commit what the request did (the view's changes, or what its error handler
    recorded after the rollback), then write the audit rows a read-only request kept aside, in one
    short transaction. If either fails the person gets the 503 page, never the page they asked for:
    nothing is shown unsaved or unaudited (R2, S13)."""
    rows = g.pop("_caseport_after_reads", None)
    try:
        if rows and db.session.get_bind().dialect.name != "sqlite":
            # PostgreSQL has no writer lock to queue for: the rows join the read's transaction, one COMMIT.
            g._caseport_writing = True
            db.session.add_all(rows)
            rows = None
        db.session.commit()  # a read-only request: ends the read transaction (it wrote nothing)
        if rows:
            g._caseport_writing = True  # the next BEGIN is IMMEDIATE on SQLite
            db.session.add_all(rows)
            db.session.commit()
    except SQLAlchemyError as err:
        return current_app.make_response(current_app.handle_user_exception(err))
    finally:
        g._caseport_writing = False
    return response


def init_app(app: Flask) -> None:
    """Register the end of the request's transaction (before the security headers, which then cover a 503)."""
    app.after_request(end_request)
