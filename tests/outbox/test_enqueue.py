"""Enqueueing: the email row lives and dies with the caller's transaction."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal_app.extensions import db
from portal_app.outbox import OutboxEmail, enqueue_email, enqueue_template


def count_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxEmail))


def test_rolled_back_transaction_leaves_no_email():
    enqueue_email("someone@example.test", "Your invitation", "Open http://localhost/links/abc")
    assert count_rows() == 1  # flushed, visible inside the transaction
    db.session.rollback()
    assert count_rows() == 0


def test_committed_email_is_pending_and_due_now(frozen_clock):
    email = enqueue_email("someone@example.test", "Your invitation", "Open http://localhost/links/abc")
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(OutboxEmail, email.id)
    assert (row.status, row.attempts, row.last_error, row.sent_at) == ("pending", 0, "", None)
    assert row.next_attempt_at == frozen_clock.utcnow() == row.created_at
    assert len(row.idempotency_key) == 32


def test_same_key_queues_one_email():
    first = enqueue_email("someone@example.test", "Reset your password", "link 1", key="password-reset.7.1")
    again = enqueue_email("someone@example.test", "Reset your password", "link 2", key="password-reset.7.1")
    assert again is first
    assert count_rows() == 1


@pytest.mark.parametrize(
    ("to", "subject", "key"),
    [
        ("no-at-sign", "Hello", None),
        ("a@example.test\nBcc: b@example.test", "Hello", None),
        ("a@example.test", "Hello\r\nBcc: b@example.test", None),
        ("a@example.test", "x" * 201, None),
        ("a@example.test", "Hello", "has space"),
        ("a@example.test", "Hello", "a/b"),
        ("a@example.test", "Hello", "k" * 65),
    ],
)
def test_unusable_address_subject_or_key_is_refused_at_enqueue(to, subject, key):
    with pytest.raises(ValueError):
        enqueue_email(to, subject, "body", key=key)
    assert count_rows() == 0


def test_template_gives_subject_text_and_html():
    email = enqueue_template("someone@example.test", "test_message", link="http://localhost/links/abc?x=1&y=2")
    assert email.subject == "Caseport test message"
    assert email.body_text.startswith("This is a test message from Caseport")
    assert "Subject:" not in email.body_text
    assert "Open Caseport: http://localhost/links/abc?x=1&y=2" in email.body_text  # text is not HTML-escaped
    assert "<title>Caseport test message</title>" in email.body_html
    assert 'href="http://localhost/links/abc?x=1&amp;y=2"' in email.body_html  # HTML is escaped
    assert email.status == "pending"


def test_template_links_default_to_public_base_url(app):
    email = enqueue_template("someone@example.test", "test_message", key="check-1")
    assert f"Open Caseport: {app.config['PUBLIC_BASE_URL']}/" in email.body_text
    assert email.idempotency_key == "check-1"
