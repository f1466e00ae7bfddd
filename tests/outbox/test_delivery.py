"""Delivery (R1): a stopped SMTP server loses nothing, a restarted one gets every email exactly once."""
from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from portal_app import outbox
from portal_app.extensions import db
from portal_app.outbox import (
    CLAIM_LEASE,
    OutboxEmail,
    enqueue_email,
    retry_delay,
)
from portal_app.worker import deliver_due


def queue(n: int, html: str | None = None) -> list[OutboxEmail]:
    rows = [
        enqueue_email(f"person{i}@example.test", f"Update {i}", f"Open http://localhost/links/{i}", html)
        for i in range(n)
    ]
    db.session.commit()
    return rows


def reload(rows: list[OutboxEmail]) -> list[OutboxEmail]:
    db.session.expire_all()
    return [db.session.get(OutboxEmail, row.id) for row in rows]


def message_id(row: OutboxEmail) -> str:
    return f"<{row.idempotency_key}@caseport>"


def test_stopped_server_loses_nothing_and_restart_delivers_each_once(smtp_app, smtp_server, frozen_clock):
    rows = queue(3)
    smtp_server.stop()

    report = deliver_due()

    assert (report.sent, report.retry_later, report.failed) == (0, 3, 0)
    for row in reload(rows):
        assert (row.status, row.attempts, row.sent_at) == ("pending", 1, None)
        assert "ConnectionRefusedError" in row.last_error
        assert row.next_attempt_at == frozen_clock.utcnow() + timedelta(seconds=30)

    smtp_server.start()
    assert deliver_due().total == 0, "nothing is due before the backoff ends"
    assert smtp_server.received == []

    frozen_clock.advance(timedelta(seconds=31))
    report = deliver_due()

    assert (report.sent, report.retry_later, report.failed) == (3, 0, 0)
    assert smtp_server.message_id_counts() == {message_id(row): 1 for row in rows}
    for row in reload(rows):
        assert (row.status, row.attempts, row.last_error) == ("sent", 1, "")
        assert row.sent_at == frozen_clock.utcnow()

    frozen_clock.advance(timedelta(days=1))
    assert deliver_due().total == 0
    assert len(smtp_server.received) == 3


def test_message_headers_and_envelope(smtp_app, smtp_server):
    (row,) = queue(1, html="<p>Open <a href='http://localhost/links/0'>Caseport</a></p>")
    deliver_due()

    (got,) = smtp_server.received
    assert got.rcpt_tos == ["person0@example.test"]
    assert got.mail_from == "no-reply@caseport.example"
    msg = got.message
    assert msg["Message-ID"] == message_id(row)
    assert msg["X-Caseport-Idempotency-Key"] == row.idempotency_key
    assert (msg["To"], msg["Subject"]) == ("person0@example.test", "Update 0")
    assert msg["Date"] is not None
    assert msg.get_content_type() == "multipart/alternative"
    assert msg.get_body(("plain",)).get_content().strip() == "Open http://localhost/links/0"
    assert "links/0" in msg.get_body(("html",)).get_content()


def test_server_refusing_the_message_means_retry_not_sent(smtp_app, smtp_server, frozen_clock):
    (row,) = queue(1)
    smtp_server.handler.reply = "451 Try again later"

    assert deliver_due().retry_later == 1
    (row,) = reload([row])
    assert (row.status, row.attempts) == ("pending", 1)
    assert "451" in row.last_error and "Try again later" in row.last_error

    smtp_server.handler.reply = "250 OK"
    frozen_clock.advance(timedelta(seconds=30))
    assert deliver_due().sent == 1
    assert smtp_server.message_id_counts() == {message_id(row): 1}


def test_backoff_grows_until_the_email_fails(smtp_app, smtp_server, frozen_clock, monkeypatch):
    monkeypatch.setitem(smtp_app.config, "OUTBOX_MAX_ATTEMPTS", 4)
    (row,) = queue(1)
    smtp_server.stop()

    waits = []
    for attempt in range(1, 5):
        report = deliver_due()
        (row,) = reload([row])
        assert row.attempts == attempt
        waits.append(row.next_attempt_at - frozen_clock.utcnow())
        frozen_clock.advance(waits[-1])
        if attempt < 4:
            assert (report.retry_later, row.status) == (1, "pending")
    assert (report.failed, row.status) == (1, "failed")
    assert waits[:3] == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]

    smtp_server.start()
    frozen_clock.advance(timedelta(days=1))
    assert deliver_due().total == 0, "a failed email is not retried"
    assert smtp_server.received == []


def test_backoff_is_capped_at_one_hour():
    assert [retry_delay(n) for n in (1, 2, 3)] == [timedelta(seconds=s) for s in (30, 60, 120)]
    assert retry_delay(8) == retry_delay(1000) == timedelta(hours=1)


def test_crash_after_claim_loses_nothing(smtp_app, smtp_server, frozen_clock):
    """A worker killed mid-send leaves the row claimed; another pass sends it after the lease."""

    class WorkerKilled(BaseException):
        pass

    def killed(*args):
        raise WorkerKilled

    (row,) = queue(1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(outbox.BACKENDS, "smtp", killed)
        with pytest.raises(WorkerKilled):
            deliver_due()

    (row,) = reload([row])
    assert (row.status, row.attempts) == ("pending", 0)
    assert row.next_attempt_at == frozen_clock.utcnow() + CLAIM_LEASE
    assert deliver_due().total == 0, "the claim holds until its lease ends"

    frozen_clock.advance(CLAIM_LEASE)
    assert deliver_due().sent == 1
    assert smtp_server.message_id_counts() == {message_id(row): 1}


def test_file_backend_writes_a_parseable_eml(file_app, frozen_clock):
    (row,) = queue(1, html="<p>Open Caseport</p>")

    assert str(deliver_due()) == "sent 1, retry later 0, failed 0"

    folder = Path(file_app.config["MAIL_OUTBOX_DIR"])
    assert [p.name for p in folder.iterdir()] == [f"{row.idempotency_key}.eml"]  # no partial files left
    raw = (folder / f"{row.idempotency_key}.eml").read_bytes()
    assert b"\r\n" in raw  # RFC 5322 line endings
    msg = message_from_bytes(raw, policy=policy.default)
    assert msg["Message-ID"] == message_id(row)
    assert msg["X-Caseport-Idempotency-Key"] == row.idempotency_key
    assert msg["From"] == file_app.config["MAIL_DEFAULT_SENDER"]
    assert (msg["To"], msg["Subject"]) == ("person0@example.test", "Update 0")
    assert msg.get_content_type() == "multipart/alternative"
    assert msg.get_body(("plain",)).get_content().strip() == "Open http://localhost/links/0"
    (row,) = reload([row])
    assert row.status == "sent"
    assert deliver_due().total == 0


def test_unknown_backend_is_a_configuration_error(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "carrier-pigeon")
    with pytest.raises(ValueError, match="MAIL_BACKEND"):
        deliver_due()
