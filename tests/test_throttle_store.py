"""The sign-in throttle counters of `make run`, in a SQLite file that every process shares (throttle_store.py)."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from config import DevelopmentConfig
from portal_app import create_app
from portal_app.extensions import db
from tests.conftest import csrf_token

ROOT = Path(__file__).resolve().parent.parent


def storage(tmp_path):
    return storage_from_string(f"sqlite:///{tmp_path / 'throttles.sqlite3'}")


def test_make_run_counts_in_a_file_in_the_instance_folder():
    assert DevelopmentConfig.RATELIMIT_STORAGE_URI.startswith("sqlite:///")
    assert DevelopmentConfig.RATELIMIT_STORAGE_URI.endswith("/throttles.sqlite3")


def test_a_window_counts_attempts_until_it_ends(tmp_path):
    counters = storage(tmp_path)
    assert [counters.incr("login/ana", 60) for _ in range(3)] == [1, 2, 3]
    assert counters.get("login/ana") == 3 and counters.get("login/ben") == 0
    assert time.time() + 55 < counters.get_expiry("login/ana") <= time.time() + 60
    counters.clear("login/ana")
    assert counters.get("login/ana") == 0
    assert counters.incr("login/ben", 1) == 1
    time.sleep(1.05)
    assert counters.get("login/ben") == 0, "an ended window no longer counts"
    assert counters.incr("login/ben", 1) == 1, "the next attempt starts a new window"


def test_the_limit_strategy_refuses_past_the_limit(tmp_path):
    limiter, limit = FixedWindowRateLimiter(storage(tmp_path)), parse("3 per minute")
    assert [limiter.hit(limit, "10.0.0.1") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit(limit, "10.0.0.2"), "another address has its own count"


_COUNT_IN_A_PROCESS = """
import sys
from limits.storage import storage_from_string
import portal_app.throttle_store
counters = storage_from_string(sys.argv[1])
for _ in range(int(sys.argv[2])):
    counters.incr("login/shared", 60)
"""


def test_two_processes_counting_at_once_lose_no_attempt(tmp_path):
    """gunicorn's workers are processes: what each counts, the other sees (memory:// would see half)."""
    uri = f"sqlite:///{tmp_path / 'throttles.sqlite3'}"
    storage_from_string(uri)  # the file and its table exist before both start
    workers = [subprocess.Popen([sys.executable, "-c", _COUNT_IN_A_PROCESS, uri, "300"], cwd=ROOT)
               for _ in range(2)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    assert storage(tmp_path).get("login/shared") == 600
