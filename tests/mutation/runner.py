"""`make mutation`: mutate the policy and token modules and check that the tests kill every mutant.

Each mutant is written into a private copy of the project (one per job) and a fixed set of tests runs
there with `-x`: the fast tests first, the matrix tests only if the fast ones all pass. Prints
killed/survived per module, the kill rate and every survivor (file:line, mutation).
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.mutation.operators import Mutant, mutants, mutated_source

ROOT = Path(__file__).resolve().parents[2]
POLICY = ["tests/mutation/test_policy_guards.py", "tests/mutation/test_object_rules.py",
          "tests/mutation/test_visibility_guards.py", "tests/tenancy",
          "tests/sharing/test_policy.py", "tests/clients/test_policy.py"]
# The matrices run only when the fast tests of a mutant all pass.
SLOW = ["tests/test_cross_agency_matrix.py", "tests/test_authz_matrix.py"]
# (module, functions to mutate or None for the whole module, the fast tests that should kill its mutants)
TARGETS: list[tuple[str, set[str] | None, list[str]]] = [
    ("portal_app/authz.py", None, POLICY),
    ("portal_app/portal_access/visibility.py", None, POLICY),
    ("portal_app/portal_access/policy.py", None, POLICY),
    ("portal_app/sharing/policy.py", None, POLICY),
    ("portal_app/clients/policy.py", None, POLICY),
    ("portal_app/messaging/policy.py", None, POLICY),
    ("portal_app/accounts/policy.py", None, POLICY),
    ("portal_app/tokens.py", None, ["tests/test_tokens.py", "tests/mutation/test_handoff_guards.py"]),
    ("blueprints/_common.py", {"safe_next"}, ["tests/mutation/test_safe_next.py"]),
    ("portal_app/messaging/sanitize.py", None, ["tests/messaging/test_sanitize.py"]),
]
_IGNORE = shutil.ignore_patterns(".venv", ".git", "instance", "__pycache__", "*.pyc", "node_modules", ".pytest_cache")


def _pytest(copy: Path, paths: list[str], timeout: float) -> str:
    """'pass', 'fail' or 'timeout' for one pytest run in the copy."""
    env = dict(os.environ, CASEPORT_ENV="test", PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *paths]
    try:
        done = subprocess.run(cmd, cwd=copy, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    return "pass" if done.returncode == 0 else "fail"


def _run_one(copy: Path, mutant: Mutant, only: set[str] | None, fast: list[str], slow: list[str],
             timeout: float) -> str:
    """Apply `mutant` in `copy`, run the tests, restore the file: 'killed' or 'survived'."""
    target = copy / mutant.path
    original = target.read_text()  # the copy is pristine between mutants
    try:
        target.write_text(mutated_source(original, mutant, only))
        for paths in (fast, slow):
            if paths and _pytest(copy, paths, timeout) != "pass":
                return "killed"
        return "survived"
    finally:
        target.write_text(original)


def main(argv: list[str] | None = None) -> int:
    """Run the mutants; exit 1 when the kill rate is under --bar."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--sample", type=int, default=0, help="run only N random mutants (0: all)")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--module", action="append", help="only these module paths")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per pytest run")
    parser.add_argument("--bar", type=float, default=95.0)
    parser.add_argument("--no-slow", action="store_true", help="skip the matrices (quicker, less thorough)")
    parser.add_argument("--match", action="append", help="only mutants whose 'path:line: mutation' contains this")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    args = parser.parse_args(argv)
    targets = [t for t in TARGETS if not args.module or t[0] in args.module]
    slow = [] if args.no_slow else SLOW
    todo = [(m, o, fast) for p, o, fast in targets for m in mutants(p, (ROOT / p).read_text(), o)]
    if args.match:
        todo = [t for t in todo if any(text in f"{t[0].path}:{t[0].lineno}: {t[0].description}" for text in args.match)]
    if args.list:
        for m, _, _ in todo:
            print(f"{m.path}:{m.lineno}: {m.description}")
        return 0
    if args.sample:
        todo = sorted(random.Random(args.seed).sample(todo, min(args.sample, len(todo))),
                      key=lambda t: (t[0].path, t[0].index))
    work = Path(tempfile.mkdtemp(prefix="caseport-mutation-"))
    copies = []
    for i in range(args.jobs):
        shutil.copytree(ROOT, work / f"copy{i}", ignore=_IGNORE)
        copies.append(work / f"copy{i}")
    try:
        every_fast = sorted({path for _, _, fast in todo for path in fast})
        if _pytest(copies[0], every_fast, args.timeout) != "pass":
            print("the tests fail without any mutant: fix them first", file=sys.stderr)
            return 2
        free = list(copies)
        started = time.monotonic()

        def job(item: tuple[Mutant, set[str] | None, list[str]]) -> tuple[Mutant, str]:
            copy = free.pop()
            try:
                return item[0], _run_one(copy, item[0], item[1], item[2], slow, args.timeout)
            finally:
                free.append(copy)

        results = []
        with ThreadPoolExecutor(args.jobs) as pool:
            for n, (m, outcome) in enumerate(pool.map(job, todo), 1):
                results.append((m, outcome))
                print(f"[{n}/{len(todo)}] {outcome:8} {m.path}:{m.lineno}: {m.description}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _report(results, args.bar, time.monotonic() - started)


def _report(results: list[tuple[Mutant, str]], bar: float, seconds: float) -> int:
    """Print per module, the survivors and the kill rate; 0 when it meets the bar."""
    per: dict[str, list[int]] = {}
    for m, outcome in results:
        per.setdefault(m.path, [0, 0])[outcome != "killed"] += 1
    for path, (killed, survived) in per.items():
        print(f"{path:45} killed {killed:3}  survived {survived:3}")
    survivors = [m for m, outcome in results if outcome != "killed"]
    for m in survivors:
        print(f"SURVIVED {m.path}:{m.lineno}: {m.description}")
    total = len(results)
    rate = 100.0 * (total - len(survivors)) / total if total else 100.0
    print(f"{total} mutants, {total - len(survivors)} killed, {len(survivors)} survived: "
          f"kill rate {rate:.1f} % (bar {bar} %) in {seconds:.0f} s")
    return 0 if rate >= bar else 1


if __name__ == "__main__":
    sys.exit(main())
