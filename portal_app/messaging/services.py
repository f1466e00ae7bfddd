"""Staff-side messaging: start a conversation, respond, read (audited), My Info's contact switch, mass sending.

Every message goes through `core.append_message` (stored sanitized, read state, notification, audit).
Functions take the acting staff member explicitly and flush; the view, CLI or worker (`portal_app/worker.py`) commits.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import audit
from ..accounts.models import User
from ..authz import Permission, can
from ..clients.models import Client
from ..clock import utcnow
from ..extensions import db
from ..portal_access.queries import clients_with_portal_access, readable_accesses
from . import core
from .core import MessagingError
from .models import Conversation, ConversationRecipient, MassSend, Message
from .sanitize import sanitize_message

MAX_SUBJECT = 200
MAX_MASS_RECIPIENTS = 5_000
MASS_BATCH = 50


class NotAllowed(MessagingError):
    status = 403
    default_message = "You may not send messages for this client."


class NoPortalAccess(MessagingError):
    default_message = ("No one can read messages for this client on the Client Portal yet. "
                       "Invite the client or a representative first.")


class UnknownRecipient(MessagingError):
    field = "account_ids"
    default_message = "Choose one or more of the people who can act for this client."


class NoClientsChosen(MessagingError):
    field = "client_ids"
    default_message = "Choose at least one client."


class ClientOutsideAgency(MessagingError):
    field = "client_ids"
    default_message = "Choose clients of your own agency only."


class TooManyRecipients(MessagingError):
    field = "client_ids"
    default_message = f"Send to at most {MAX_MASS_RECIPIENTS:,} clients at once."


def _check_may_message(actor: User, client: Client | None) -> None:
    if not can(actor, Permission.STAFF_MESSAGING, client):
        raise NotAllowed


def _clean(body_html: str) -> str:
    """Defence in depth: whatever the caller did, what is stored passed the allowlist (S9)."""
    return core.check_body(sanitize_message(body_html))


def start_conversation(actor: User, client: Client, *, subject: str, body_html: str,
                       account_ids: list[int] | None) -> Conversation:
    """A new conversation with the client's portal accounts (all of them, or the chosen ones) and its first message."""
    _check_may_message(actor, client)
    body_html = _clean(body_html)
    readers = {a.account_id for a in readable_accesses(client)}
    if not readers:
        raise NoPortalAccess
    if account_ids is not None:
        chosen = set(account_ids)
        if not chosen or not chosen <= readers:
            raise UnknownRecipient
    conversation = Conversation(client=client, staff=actor, subject=subject.strip()[:MAX_SUBJECT],
                                audience_all=account_ids is None)
    db.session.add(conversation)
    if account_ids is not None:
        conversation.recipients = [ConversationRecipient(account_id=i) for i in sorted(set(account_ids))]
    db.session.flush()
    core.append_message(conversation, body_html, staff=actor)
    return conversation


def reply_as_staff(actor: User, conversation: Conversation, body_html: str) -> Message:
    """Send Response: a staff message in an existing conversation."""
    _check_may_message(actor, conversation.client)
    return core.append_message(conversation, _clean(body_html), staff=actor)


def mark_read_by_staff(actor: User, conversation: Conversation) -> None:
    """The staff member opened the conversation: read up to its last message, and an audit event (S13)."""
    core.mark_read(conversation, "staff", actor.id)
    audit.record("conversation.viewed", actor, obj=conversation, client_id=conversation.client_id)


def set_allow_client_contact(actor: User, allowed: bool) -> bool:
    """My Info's "Allow Client Initiated Contact"; True when the setting changed (audited)."""
    if actor.allow_client_contact == allowed:
        return False
    actor.allow_client_contact = allowed
    audit.record("account.client_contact_changed", actor, obj=actor, details={"allowed": allowed})
    db.session.flush()
    return True


# -- Mass sending (P5: the request only queues; the worker delivers in batches) -------------------


def create_mass_send(actor: User, client_ids: list[int], subject: str, body_html: str) -> MassSend:
    """Queue one message to many clients of the actor's agency; the outbox worker delivers it."""
    _check_may_message(actor, None)
    ids = list(dict.fromkeys(int(i) for i in client_ids))
    if not ids:
        raise NoClientsChosen
    if len(ids) > MAX_MASS_RECIPIENTS:
        raise TooManyRecipients
    body_html = _clean(body_html)
    found = db.session.scalar(select(func.count(Client.id)).where(
        Client.id.in_(ids), Client.organization_id == actor.organization_id))
    if found != len(ids):
        raise ClientOutsideAgency
    job = MassSend(sender_id=actor.id, subject=subject.strip()[:MAX_SUBJECT], body_html=body_html,
                   client_ids=ids, status="queued", total=len(ids))
    db.session.add(job)
    db.session.flush()
    audit.record("mass_send.created", actor, obj=job, details={"clients": len(ids)})
    return job


# Who delivers a job that carries a `request_spec` (registered by portal_app.requests.mass: no import cycle).
REQUEST_DELIVERERS: list = []


def process_mass_send(job: MassSend, batch_size: int = MASS_BATCH) -> bool:
    """Deliver the next batch: a conversation per client with portal access, the others skipped. True when done."""
    if job.status == "done":
        return True
    if job.request_spec is not None and REQUEST_DELIVERERS:
        return REQUEST_DELIVERERS[0](job, batch_size)
    job.status = "running"
    batch = job.client_ids[job.processed:job.processed + batch_size]
    sender = job.sender
    clients = {c.id: c for c in db.session.scalars(
        select(Client).where(Client.id.in_(batch), Client.organization_id == sender.organization_id)
        .options(joinedload(Client.organization)))}
    readable = clients_with_portal_access(batch)
    for client_id in batch:
        client = clients.get(client_id)
        if client is None or client_id not in readable:
            job.skipped += 1
            continue
        conversation = Conversation(client=client, staff=sender, subject=job.subject, audience_all=True,
                                    mass_send_id=job.id)
        db.session.add(conversation)
        db.session.flush()
        core.append_message(conversation, job.body_html, staff=sender)
        job.delivered += 1
    job.processed += len(batch)
    if job.processed >= len(job.client_ids):
        job.status, job.finished_at = "done", utcnow()
    db.session.flush()
    return job.status == "done"


def claim_mass_send(job_id: int) -> MassSend | None:
    """Lock one unfinished job; on PostgreSQL a job another worker holds is skipped, not waited for."""
    stmt = select(MassSend).where(MassSend.id == job_id, MassSend.status.in_(("queued", "running")))
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return db.session.scalar(stmt.execution_options(populate_existing=True))
