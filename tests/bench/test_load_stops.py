"""`make bench-load` stopped by SIGTERM or Ctrl-C (SIGINT) leaves no gunicorn behind: the real entry point is
started, signalled while its hello-world gunicorn serves the load, and every process it had started must be gone.
Linux only (it reads /proc); a few seconds, so it runs with `make bench`."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid), None when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def _descendants(root: int) -> set[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (found := _stat(int(entry.name))):
            parents[int(entry.name)] = found[1]
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        children = {child for child, parent in parents.items() if parent == pid}
        todo += children - found
        found |= children
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    found = _stat(pid)
    return found is not None and found[0] != "Z"  # a zombie is dead, waiting for its new parent to reap it


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signalled_bench_load_stops_its_gunicorn(sig):
    bench = subprocess.Popen([sys.executable, "-m", "tests.bench.load", "--seconds", "120", "--connections", "1",
                              "--generator", "python", "--sizes", "demo"], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    started: set[int] = set()
    gunicorns: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and bench.poll() is None:
            started = _descendants(bench.pid)
            gunicorns = [pid for pid in started if "gunicorn" in _cmdline(pid)]
            if len(gunicorns) >= 2:  # the master and its worker: the load runs against them
                break
            time.sleep(0.2)
        assert len(gunicorns) >= 2, bench.stderr.read() if bench.poll() is not None else "gunicorn did not start"
        assert bench.poll() is None
        time.sleep(1)
        started = _descendants(bench.pid)
        os.kill(bench.pid, sig)
        assert bench.wait(timeout=60) != 0
        deadline = time.monotonic() + 10  # a moment for any process that is only just exiting
        while time.monotonic() < deadline and any(_alive(pid) for pid in started):
            time.sleep(0.2)
        left = {pid: _cmdline(pid) for pid in started if _alive(pid)}
        assert not left, f"still running after the benchmark stopped: {left}"
    finally:
        if bench.poll() is None:
            os.killpg(bench.pid, signal.SIGKILL)
            bench.wait()
        bench.stderr.close()
        for pid in started:  # a failed run leaves nothing behind either
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
