"""The background worker (`flask outbox-worker`): it owns the transactions of work done off the request path.

Each pass delivers due outbox emails (R1), runs one batch of every unfinished mass send (P5) and
seals the audit events recorded since the last pass (S13). The domains' batch functions it calls
(`outbox.claim_next`, `messaging.services.process_mass_send`, `audit.seal_pending` ...) flush and
never commit; the worker commits after each step, so one failed step loses only itself.
Several workers may run at once on PostgreSQL (rows are claimed with SKIP LOCKED).
"""
from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime

import click
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from . import audit, outbox
from .clock import utcnow
from .extensions import db
from .logsafe import describe_error
from .messaging import queries as messaging_queries
from .messaging import services as messaging

logger = logging.getLogger(__name__)

AUDIT_SEAL_BATCH = 1000  # audit events sealed per worker pass


def deliver_due(
    batch_size: int = 20, now: datetime | None = None, *, should_stop: Callable[[], bool] | None = None
) -> outbox.DeliveryReport:
    """Send up to `batch_size` due emails, one claimed row at a time, committing after each step."""
    config = current_app.config
    send = outbox.backend_for(config)
    max_attempts = config["OUTBOX_MAX_ATTEMPTS"]
    report = outbox.DeliveryReport()
    for _ in range(batch_size):
        if should_stop is not None and should_stop():
            break
        claimed = outbox.claim_next(now or utcnow())
        if claimed is None:
            db.session.commit()
            break
        # The claim is committed before any network traffic, so no transaction or lock is held
        # while we talk to the SMTP server, and no other worker takes this row during the lease.
        db.session.commit()
        try:
            send(outbox.build_message(claimed, config["MAIL_DEFAULT_SENDER"]), claimed.idempotency_key, config)
        except Exception as err:  # noqa: BLE001  (any failure to send means: not sent, try again later)
            outcome = outbox.record_failure(claimed, err, now or utcnow(), max_attempts)
        else:
            # Crash window: if the process dies after the server accepted the message and before
            # this commit, the row is still pending and is sent again when its lease ends. That is
            # the only duplicate possible, at most one message per crashed worker, and it carries
            # the same Message-ID and X-Caseport-Idempotency-Key, so receiving systems that drop
            # duplicates by Message-ID drop it. A row marked sent is never claimed again.
            outbox.mark_sent(claimed, now or utcnow())
            outcome = "sent"
        db.session.commit()
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def run_mass_sends(batch_size: int = messaging.MASS_BATCH) -> int:
    """One batch of each unfinished mass send, committed per batch; the number of batches run."""
    due = messaging_queries.due_mass_send_ids()
    db.session.commit()
    batches = 0
    for job_id in due:
        try:
            job = messaging.claim_mass_send(job_id)
            if job is None:
                db.session.rollback()
                continue
            messaging.process_mass_send(job, batch_size)
            db.session.commit()
            batches += 1
        except Exception as err:  # one broken job must not stop the others, nor the email worker
            db.session.rollback()
            logger.error("mass send %s: batch failed (%s), retrying on the next pass", job_id, describe_error(err))
    return batches


def run_sealing_pass(limit: int = AUDIT_SEAL_BATCH) -> audit.Seal | None:
    """Seal a batch of audit events, commit, then write the checkpoint of the committed head."""
    try:
        seal = audit.seal_pending(limit)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if seal is not None:
        audit.write_checkpoint(seal)
    return seal


def run_document_sealing(limit: int = 5) -> int:
    """Produce the sealed PDFs of documents completed since the last pass (P5: never in a request), committing
    each one; a document that fails is retried on later passes, a few times at most."""
    from .documents import document_pdf as documents

    due = documents.unsealed_document_ids(limit)
    db.session.commit()
    sealed = 0
    for document_id in due:
        try:
            document = documents.claim_unsealed(document_id)
            if document is None:
                db.session.rollback()
                continue
            documents.seal_document(document)
            db.session.commit()
            sealed += 1
        except Exception as err:  # one broken document must not stop the others, nor the email worker
            db.session.rollback()
            logger.error("document %s: sealing failed (%s), retrying on a later pass", document_id, describe_error(err))
            documents.count_seal_failure(document_id)
            db.session.commit()
    return sealed


def run_roi_passes() -> tuple[int, int]:
    """Releases of information: end the shares of expired ones, warn clients 14 and 3 days ahead (idempotent)."""
    from .roi import lifecycle

    try:
        ended = lifecycle.end_lapsed()
        db.session.commit()
        warned = lifecycle.send_expiry_warnings()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return ended, warned


def run_appointment_work(now: datetime | None = None) -> tuple[int, int]:
    """Forms due three days before an appointment reach the portal; reminders go out the day before. Commits
    after each one, so a failure loses only itself. Returns (forms sent, reminder emails queued)."""
    from .appointments import previsit

    now = now or utcnow()
    forms = emails = 0
    due_forms, due_reminders = previsit.due_precheckin_ids(now), previsit.due_reminder_ids(now)
    db.session.commit()
    for form_id in due_forms:
        try:
            forms += previsit.send_precheckin(form_id)
            db.session.commit()
        except Exception as err:  # noqa: BLE001  (one broken form must not stop the others)
            db.session.rollback()
            logger.error("appointment form %s: sending failed (%s), retrying on the next pass", form_id,
                         describe_error(err))
    for appointment_id in due_reminders:
        try:
            emails += previsit.send_reminder(appointment_id, now)
            db.session.commit()
        except Exception as err:  # noqa: BLE001  (one broken appointment must not stop the others)
            db.session.rollback()
            logger.error("appointment %s: reminder failed (%s), retrying on the next pass", appointment_id,
                         describe_error(err))
    return forms, emails


@click.command("appointments-remind")
def appointments_remind_command() -> None:
    """One pass: send forms due before appointments (pre-check-in) and tomorrow's reminders (the worker runs it too)."""
    forms, emails = run_appointment_work()
    click.echo(f"appointments: {forms} form(s) sent to the portal, {emails} reminder email(s) queued")


def run_request_reminders() -> int:
    """Queue the request reminders due today (3 days before and on the due date), committed once."""
    from .requests import reminders

    try:
        sent = reminders.send_reminders()
        db.session.commit()
    except Exception as err:  # noqa: BLE001  (reminders must not stop the email worker)
        db.session.rollback()
        logger.error("request reminders failed (%s), retrying on the next pass", describe_error(err))
        return 0
    return sent


def run_kiosk_expiry() -> int:
    """Pending kiosk hand-offs past their expiry become "expired" (staff may resend them)."""
    from .kiosk.handoffs import expire_handoffs

    expired = expire_handoffs()
    db.session.commit()
    return expired


def run_worker(interval: float, batch_size: int, stop: threading.Event) -> None:
    """Deliver every `interval` seconds until `stop` is set; a database outage only delays delivery."""
    while not stop.is_set():
        report, seal = outbox.DeliveryReport(), None
        try:
            report = deliver_due(batch_size, should_stop=stop.is_set)
            run_mass_sends()  # one batch of each unfinished mass send (P5)
            run_document_sealing()  # sealed PDFs of completed documents (P5)
            run_roi_passes()  # ROI expiry: shares end, clients warned 14 and 3 days ahead
            run_appointment_work()  # pre-check-in forms and reminders the day before
            run_request_reminders()  # link-only reminders of requests due in 3 days or today
            run_kiosk_expiry()  # kiosk hand-offs past their expiry go back to staff
            seal = run_sealing_pass(AUDIT_SEAL_BATCH)  # the audit trail's bounded lag (S13)
        except SQLAlchemyError as err:
            db.session.rollback()
            logger.error("outbox worker: database unavailable (%s), retrying in %s s", describe_error(err), interval)
        finally:
            db.session.remove()  # hand the connection back to the pool while we sleep
        if report.total:
            click.echo(f"outbox: {report}")
        more_due = report.total >= batch_size or (seal is not None and seal.sealed >= AUDIT_SEAL_BATCH)
        if not more_due:  # a full batch means more may be due right now
            stop.wait(interval)


@click.command("outbox-worker")
@click.option("--once", is_flag=True, help="Run one pass, print a summary and exit.")
@click.option("--interval", type=click.FloatRange(min=0.1), default=5.0, show_default=True,
              help="Seconds between passes; the worker runs until SIGTERM or SIGINT.")
@click.option("--batch-size", type=click.IntRange(min=1), default=20, show_default=True,
              help="Most emails sent per pass.")
def worker_command(once: bool, interval: float, batch_size: int) -> None:
    """Deliver queued emails and seal the audit trail (several workers may run at once on PostgreSQL)."""
    try:
        outbox.backend_for(current_app.config)
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    if once:
        click.echo(str(deliver_due(batch_size)))
        return
    stop = threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())
    click.echo(f"outbox worker: {current_app.config['MAIL_BACKEND']} backend, every {interval:g} s")
    try:
        run_worker(interval, batch_size, stop)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    click.echo("outbox worker stopped")
