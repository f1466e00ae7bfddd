"""`flask outbox-worker`: one pass with --once; a looping worker under the development config."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal_app.extensions import db
from portal_app.outbox import OutboxEmail, enqueue_email

ROOT = Path(__file__).resolve().parents[2]


def test_once_prints_a_summary(file_app):
    enqueue_email("a@example.test", "One", "Open http://localhost/")
    enqueue_email("b@example.test", "Two", "Open http://localhost/")
    db.session.commit()

    result = file_app.test_cli_runner().invoke(args=["outbox-worker", "--once"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 2, retry later 0, failed 0"
    assert len(list(Path(file_app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))) == 2


def test_once_with_smtp_down_reports_retry_later(smtp_app, smtp_server):
    enqueue_email("a@example.test", "One", "Open http://localhost/")
    db.session.commit()
    smtp_server.stop()

    result = smtp_app.test_cli_runner().invoke(args=["outbox-worker", "--once"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 0, retry later 1, failed 0"


def test_unknown_backend_is_refused_by_the_command(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "fax")
    result = app.test_cli_runner().invoke(args=["outbox-worker", "--once"])
    assert result.exit_code == 1
    assert "MAIL_BACKEND" in result.output


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_development_worker_writes_eml_files_and_stops_on_signal(make_separate_app, tmp_path, signum):
    """What `make run` starts: `flask outbox-worker --interval 2` on the default development config."""
    instance = tmp_path / "instance"
    instance.mkdir()
    seed = make_separate_app(f"sqlite:///{instance / 'caseport.sqlite3'}")  # the development database file
    with seed.app_context():
        key = enqueue_email("a@example.test", "Hello", "Open http://localhost/").idempotency_key
        db.session.commit()

    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "DATABASE_URL", "FLASK_"))}
    env.update(CASEPORT_ENV="development", CASEPORT_INSTANCE=str(instance), FLASK_APP="wsgi.py")
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "outbox-worker", "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    eml = instance / "outbox" / f"{key}.eml"
    try:
        deadline = time.monotonic() + 15
        while not eml.exists() and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert eml.exists(), worker.stderr.read() if worker.poll() is not None else "no .eml written in time"
        worker.send_signal(signum)
        out, err = worker.communicate(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    assert worker.returncode == 0, err
    assert "outbox: sent 1, retry later 0, failed 0" in out
    assert out.rstrip().endswith("outbox worker stopped")
    with seed.app_context():
        assert db.session.scalar(db.select(OutboxEmail.status)) == "sent"
