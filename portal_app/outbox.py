"""Outbox email (R1, S14): rows written with the change that causes them; a worker delivers them."""
from __future__ import annotations

import uuid
from datetime import datetime

import click
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .clock import utcnow
from .db_types import UTCDateTime
from .extensions import db


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


@click.command("outbox-worker")
def worker_command() -> None:
    """Deliver pending emails."""
