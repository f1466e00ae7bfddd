"""Outbox email (R1, S14): rows written with the change that causes them; a worker delivers them.

A service calls `enqueue_email` or `enqueue_template`; both only flush, so the
email exists exactly when the caller's transaction commits the change. The
worker (`portal_app/worker.py`, `flask outbox-worker`) claims due rows one at a
time (`claim_next`), sends each through the configured backend and records the
outcome (`mark_sent`, `record_failure`), committing after each step, so a
stopped SMTP server loses nothing: rows stay pending and are retried with backoff.

S14: an email travels through servers we do not control and lands in inboxes
other people read. It carries a link into Caseport and nothing else: no client
names, no health, case, appointment or message content.
"""
from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from jinja2 import TemplateNotFound
from sqlalchemy import String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column

from .clock import as_utc, utcnow
from .db_types import UTCDateTime
from .extensions import db

logger = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "X-Caseport-Idempotency-Key"
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
# A claimed row is not due again until the lease ends; if the worker dies mid-send, another
# worker picks the row up then. Longer than the slowest SMTP conversation (MAIL_TIMEOUT per step).
CLAIM_LEASE = timedelta(minutes=10)
_KEY_RE = re.compile(r"[A-Za-z0-9_+=-]+(?:\.[A-Za-z0-9_+=-]+)*")  # dot-atom: safe in a Message-ID and a file name


class OutboxEmail(db.Model):
    """One email waiting for, or done with, delivery."""

    __tablename__ = "outbox_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: uuid.uuid4().hex)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


# --- Enqueue (inside the caller's transaction) ---------------------------------------------------


def _single_line(value: str, what: str, max_length: int) -> str:
    value = value.strip()
    if not value or "\n" in value or "\r" in value or len(value) > max_length:
        raise ValueError(f"{what} must be one line of 1 to {max_length} characters")
    return value


def enqueue_email(to: str, subject: str, text: str, html: str | None = None, *, key: str | None = None) -> OutboxEmail:
    """Queue an email in the caller's transaction (flushes, never commits).

    S14: subject and bodies carry links only, never client names or health or case details.
    `key` makes the enqueue idempotent: a second call with the same key returns the first row.
    """
    to = _single_line(to, "The recipient address", 254)
    if "@" not in to:
        raise ValueError("The recipient address must contain @")
    subject = _single_line(subject, "The subject", 200)
    if key is not None:
        if len(key) > 64 or not _KEY_RE.fullmatch(key):
            raise ValueError("An idempotency key is 1 to 64 letters, digits, dots, _ + = or -")
        existing = db.session.scalar(select(OutboxEmail).where(OutboxEmail.idempotency_key == key))
        if existing is not None:
            return existing
    now = utcnow()
    email = OutboxEmail(
        idempotency_key=key or uuid.uuid4().hex,
        to_address=to,
        subject=subject,
        body_text=text,
        body_html=html,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        last_error="",
        created_at=now,
    )
    db.session.add(email)
    db.session.flush()
    return email


def enqueue_template(to: str, template_name: str, *, key: str | None = None, **context) -> OutboxEmail:
    """Render templates/emails/<name>.txt (first line `Subject: ...`) and optional .html, then queue it.

    S14: the context must hold links and the recipient's own first name at most, never client data.
    Templates see only this context plus `base_url` (PUBLIC_BASE_URL), not the current request.
    `language` ("en" or "es", the recipient's) picks the catalogue the templates' _() read: one template
    per email, whatever its language.
    """
    with force_locale(context.setdefault("language", "en")):
        return _enqueue_rendered(to, template_name, key, context)


def _enqueue_rendered(to: str, template_name: str, key: str | None, context: dict) -> OutboxEmail:
    env = current_app.jinja_env
    context.setdefault("base_url", current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    rendered = env.get_template(f"emails/{template_name}.txt").render(context)
    first_line, _, body = rendered.lstrip().partition("\n")
    if not first_line.startswith("Subject:"):
        raise ValueError(f"emails/{template_name}.txt must start with a 'Subject: ...' line")
    subject = first_line.removeprefix("Subject:").strip()
    try:
        html_template = env.get_template(f"emails/{template_name}.html")
    except TemplateNotFound:
        html = None
    else:
        html = html_template.render({**context, "subject": subject})
    return enqueue_email(to, subject, body.strip("\n") + "\n", html, key=key)


# --- Messages and delivery backends -------------------------------------------------------------


@dataclass(frozen=True)
class _Claimed:
    """The fields of a claimed row, copied so that sending needs no open transaction."""

    id: int
    idempotency_key: str
    to_address: str
    subject: str
    body_text: str
    body_html: str | None
    created_at: datetime
    attempts: int


def build_message(email: OutboxEmail | _Claimed, sender: str) -> EmailMessage:
    """The RFC 5322 message; its Message-ID comes from the idempotency key, so a resend is recognisable."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = email.to_address
    msg["Subject"] = email.subject
    msg["Date"] = format_datetime(as_utc(email.created_at))  # the moment of the change, also on a resend
    msg["Message-ID"] = f"<{email.idempotency_key}@caseport>"
    msg[IDEMPOTENCY_HEADER] = email.idempotency_key
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies
    msg.set_content(email.body_text)
    if email.body_html:
        msg.add_alternative(email.body_html, subtype="html")
    return msg


def write_eml_file(msg: EmailMessage, key: str, config: Mapping) -> None:
    """Development backend: `<key>.eml` in MAIL_OUTBOX_DIR, written whole or not at all."""
    folder = Path(config["MAIL_OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{key}.eml.part"
    partial.write_bytes(msg.as_bytes(policy=policy.SMTP))
    os.replace(partial, folder / f"{key}.eml")


def send_over_smtp(msg: EmailMessage, key: str, config: Mapping) -> None:
    """Production backend: one SMTP conversation per message, STARTTLS and login when configured."""
    timeout = config.get("MAIL_TIMEOUT", 30)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(msg)


BACKENDS: dict[str, Callable[[EmailMessage, str, Mapping], None]] = {
    "file": write_eml_file,
    "smtp": send_over_smtp,
}


def backend_for(config: Mapping) -> Callable[[EmailMessage, str, Mapping], None]:
    """The delivery function named by MAIL_BACKEND."""
    name = config.get("MAIL_BACKEND", "file")
    try:
        return BACKENDS[name]
    except KeyError:
        raise ValueError(f"MAIL_BACKEND must be one of {', '.join(sorted(BACKENDS))}, not {name!r}") from None


# --- Claims and outcomes (the worker, `portal_app/worker.py`, commits each step) ---------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    """What one worker pass did."""

    sent: int = 0
    retry_later: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retry_later + self.failed

    def __str__(self) -> str:
        return f"sent {self.sent}, retry later {self.retry_later}, failed {self.failed}"


def retry_delay(attempts: int) -> timedelta:
    """Wait after the n-th failed attempt: 30 s, 1 min, 2 min, ... at most 1 h."""
    return min(BACKOFF_BASE * 2 ** min(max(attempts - 1, 0), 16), BACKOFF_CAP)


def claim_next(now: datetime) -> _Claimed | None:
    """Take the next due row by pushing its next_attempt_at to the end of a lease (the worker commits the claim).

    One UPDATE statement, so on SQLite it takes the write lock before it reads (claims queue on
    busy_timeout instead of failing). On PostgreSQL the inner SELECT is FOR UPDATE SKIP LOCKED:
    concurrent workers step over each other's rows instead of waiting for or claiming them twice.
    `id = (subquery)` rather than `id IN (subquery)`: PostgreSQL runs a scalar subquery once, while
    an IN may be re-run per scanned row and, skipping the row this very statement locked, claim more.
    """
    due = (OutboxEmail.status == "pending", OutboxEmail.next_attempt_at <= now)
    pick = select(OutboxEmail.id).where(*due).order_by(OutboxEmail.next_attempt_at, OutboxEmail.id).limit(1)
    if db.session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    columns = [getattr(OutboxEmail, name) for name in _Claimed.__dataclass_fields__]
    claim = (
        update(OutboxEmail)
        .where(OutboxEmail.id == pick.scalar_subquery(), *due)
        .values(next_attempt_at=now + CLAIM_LEASE)
        .returning(*columns)
    )
    row = db.session.execute(claim, execution_options={"synchronize_session": False}).one_or_none()
    return _Claimed(*row) if row is not None else None


def record_failure(claimed: _Claimed, err: Exception, now: datetime, max_attempts: int) -> str:
    """Count a failed attempt: retry after the backoff, or give up after `max_attempts` (flushes, never commits)."""
    attempts = claimed.attempts + 1
    gives_up = attempts >= max_attempts
    values = {
        "attempts": attempts,
        "last_error": f"{type(err).__name__}: {err}"[:500],
        "next_attempt_at": now + retry_delay(attempts),
    }
    if gives_up:
        values["status"] = "failed"
    # Only a pending row: never turn a row another worker marked sent back into one to resend.
    db.session.execute(
        update(OutboxEmail).where(OutboxEmail.id == claimed.id, OutboxEmail.status == "pending").values(**values)
    )
    log = logger.error if gives_up else logger.warning
    # The log names the row, not the address or the error text (which may quote the address): S14.
    log("outbox email %s: attempt %s failed (%s)%s", claimed.id, attempts, type(err).__name__,
        "; giving up" if gives_up else "")
    return "failed" if gives_up else "retry_later"


def mark_sent(claimed: _Claimed, now: datetime) -> None:
    """Record that the backend accepted the message; a row marked sent is never claimed again."""
    db.session.execute(
        update(OutboxEmail).where(OutboxEmail.id == claimed.id).values(status="sent", sent_at=now, last_error="")
    )
