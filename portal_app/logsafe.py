"""Error descriptions fit for logs: what failed, never a value that was sent or stored (S14).

SQLAlchemy's message carries the statement's parameters (hidden by `hide_parameters`, see config.py)
and the driver's text may quote a row (PostgreSQL's DETAIL: `Key (email)=(...) already exists`), so
logs name the exception classes, the SQLSTATE and where the code was, not the message.
"""
from __future__ import annotations

import traceback

from flask import Flask, request


def describe_error(err: BaseException) -> str:
    """`StatementError (UniqueViolation, 23505) at outbox.py:120 in deliver_due`: classes, SQLSTATE, place."""
    orig = getattr(err, "orig", None)
    parts = [type(err).__name__]
    if orig is not None:
        code = getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None)
        parts.append(f"({type(orig).__name__}{', ' + code if code else ''})")
    frames = traceback.extract_tb(err.__traceback__)
    if frames:
        last = frames[-1]
        parts.append(f"at {last.filename.rsplit('/', 1)[-1]}:{last.lineno} in {last.name}")
    return " ".join(parts)


def install(app: Flask) -> None:
    """Unhandled errors (500s) are logged with their traceback but without the exception's message.

    Flask's own log line prints `str(exc)`, and a message may quote what was sent
    (`invalid literal for int() with base 10: '<what someone typed>'`).
    """

    def log_exception(exc_info) -> None:
        _type, exc, tb = exc_info
        frames = "".join(traceback.format_tb(tb))
        app.logger.error("Exception on %s %s: %s (message withheld, S14)\nTraceback (most recent call last):\n%s",
                         request.method, request.path, describe_error(exc), frames)

    app.log_exception = log_exception  # type: ignore[method-assign]
