"""Reminders of requests with a due date (the worker): a link-only email 3 days before and on the day.

Idempotent: each reminder is recorded on the request ("3d.<due date>", "day.<due date>") in the same
transaction as its outbox row (which also carries an idempotency key), so a second pass sends nothing;
a due date moved later gets its own reminders. The day is the agency's, by the app clock.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from .models import PortalRequest, RequestStatus
from .services import notify_client, today

BATCH = 200


def due_reminders(day: date) -> list[tuple[PortalRequest, str]]:
    """(request, marker) of the reminders due on `day` and not sent yet."""
    soon = day + timedelta(days=3)
    rows = db.session.scalars(
        select(PortalRequest).where(PortalRequest.status.in_((RequestStatus.OPEN, RequestStatus.RETURNED)),
                                    PortalRequest.due_date.in_((day, soon)))
        .options(joinedload(PortalRequest.client)).order_by(PortalRequest.id).limit(BATCH))
    found = []
    for request in rows:
        marker = f"{'day' if request.due_date == day else '3d'}.{request.due_date.isoformat()}"
        if marker not in (request.reminded or []):
            found.append((request, marker))
    return found


def send_reminders(day: date | None = None) -> int:
    """Queue the reminders due today (flushes); the number of requests reminded."""
    day = day or today()
    sent = 0
    for request, marker in due_reminders(day):
        request.reminded = [*(request.reminded or []), marker]
        notify_client([request], "request_reminder_portal", key=f"request-{request.id}-{marker}")
        sent += 1
    db.session.flush()
    return sent
