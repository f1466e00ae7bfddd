"""Several workers at once (R1): each email is sent exactly once (PostgreSQL: FOR UPDATE SKIP LOCKED)."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from portal_app.extensions import db
from portal_app.outbox import DeliveryReport, OutboxEmail, enqueue_email
from portal_app.worker import deliver_due

ROWS = 50


def test_two_workers_send_each_email_exactly_once(make_separate_app, smtp_server):
    app = make_separate_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5)
    with app.app_context():
        keys = [enqueue_email(f"p{i}@example.test", f"Update {i}", "Open http://localhost/").idempotency_key
                for i in range(ROWS)]
        db.session.commit()
    smtp_server.handler.delay = 0.002  # keep both workers busy at the same time

    start = threading.Barrier(2)
    reports = [DeliveryReport(), DeliveryReport()]
    errors = []

    def worker(index: int) -> None:
        try:
            with app.app_context():  # its own app context, session and connection
                start.wait(timeout=10)
                while (report := deliver_due(batch_size=5)).total:
                    reports[index].sent += report.sent
                    reports[index].retry_later += report.retry_later
        except BaseException as err:  # noqa: BLE001  (reported by the main thread)
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert [r.retry_later for r in reports] == [0, 0]
    assert sum(r.sent for r in reports) == ROWS
    assert all(r.sent > 0 for r in reports), f"both workers should have sent some: {reports}"
    assert smtp_server.message_id_counts() == {f"<{key}@caseport>": 1 for key in keys}
    with app.app_context():
        statuses = dict(db.session.execute(select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)).all())
        assert statuses == {"sent": ROWS}
        assert deliver_due().total == 0
