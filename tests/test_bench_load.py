"""The load benchmark (`make bench-load`) serves Caseport exactly as `make run` does."""
from __future__ import annotations

import re
from pathlib import Path

from tests.bench.load.servers import GUNICORN_FLAGS, sized_url

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_serves_with_make_runs_config_workers_and_threads() -> None:
    """Same gunicorn config file and RUN_WORKERS as `make run`, so its figures are those of `make run`."""
    makefile = (ROOT / "Makefile").read_text()
    run_workers = re.search(r"^RUN_WORKERS\s*:?=\s*(.+)$", makefile, re.M).group(1).split()
    assert GUNICORN_FLAGS[:2] == ["-c", str(ROOT / "gunicorn.conf.py")]
    assert GUNICORN_FLAGS[2:] == run_workers
    assert "-c gunicorn.conf.py" in makefile and "outbox-worker" in makefile


def test_the_10k_data_set_lives_beside_the_demo_database() -> None:
    """--reuse keeps both sizes: the 10k copy never overwrites the demo database."""
    assert sized_url("sqlite:////x/instance/bench/caseport-bench.sqlite3") == (
        "sqlite:////x/instance/bench/caseport-bench-10k.sqlite3")
    assert sized_url("postgresql+psycopg://postgres@127.0.0.1:5432/load?sslmode=disable") == (
        "postgresql+psycopg://postgres@127.0.0.1:5432/load_10k?sslmode=disable")
