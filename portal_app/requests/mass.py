"""Mass sending of one request to many clients, on the messaging domain's mass-send machinery: the same job
(`MassSend`, with a `request_spec`), the same worker batches and the same progress page; each client with
portal access gets the request (and its link-only email), the others are skipped."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..clients.models import Client
from ..clock import utcnow
from ..extensions import db
from ..messaging import services as messaging
from ..messaging.models import MassSend
from .errors import RequestError
from .kinds import handler_for
from .models import PortalRequest
from .services import send_request


def _spec(data: dict[str, Any]) -> dict[str, Any]:
    """The request's data as JSON (the due date as ISO text)."""
    due = data.get("due_date")
    return {**data, "due_date": due.isoformat() if isinstance(due, date) else None}


def _data(spec: dict[str, Any]) -> dict[str, Any]:
    due = spec.get("due_date")
    return {**spec, "due_date": date.fromisoformat(due) if due else None}


class _TrialDone(Exception):
    """Ends the trial run of a request kind's checks: its savepoint rolls back, nothing of it stays."""


def create_request_mass_send(actor: User, client_ids: list[int], data: dict[str, Any]) -> MassSend:
    """Queue one request to many clients of the actor's agency (checked once now, sent by the worker)."""
    handler = handler_for(str(data.get("kind") or ""))
    first = db.session.get(Client, client_ids[0]) if client_ids else None
    if first is not None and first.organization_id == actor.organization_id:
        try:
            with db.session.begin_nested():  # the kind's own checks (category, assessment), then undone
                handler.prepare(actor, PortalRequest(client=first, kind=data["kind"], requested_by_id=actor.id), data)
                raise _TrialDone  # leaving the savepoint by an exception rolls it back
        except _TrialDone:
            pass
        except RequestError as err:
            if not getattr(err, "per_client", False):  # e.g. this client's active ROI: skipped when sent
                raise
    label = handler.label
    job = messaging.create_mass_send(actor, client_ids, f"Portal request: {label}",
                                     f"<p>A {label.lower()} request sent to each client.</p>")
    job.request_spec = _spec(data)
    db.session.flush()
    return job


def deliver_batch(job: MassSend, batch_size: int) -> bool:
    """The next batch: a request per client (refused ones, e.g. without portal access, skipped). True when done."""
    job.status = "running"
    batch = job.client_ids[job.processed:job.processed + batch_size]
    sender = job.sender
    clients = {c.id: c for c in db.session.scalars(
        select(Client).where(Client.id.in_(batch), Client.organization_id == sender.organization_id)
        .options(joinedload(Client.organization)))}
    for client_id in batch:
        client = clients.get(client_id)
        try:
            if client is None:
                raise RequestError
            with db.session.begin_nested():
                send_request(sender, client, _data(job.request_spec))
        except RequestError:
            job.skipped += 1
            continue
        job.delivered += 1
    job.processed += len(batch)
    if job.processed >= len(job.client_ids):
        job.status, job.finished_at = "done", utcnow()
    db.session.flush()
    return job.status == "done"


messaging.REQUEST_DELIVERERS[:] = [deliver_batch]
