"""CPU milliseconds of one request, in the process, for each busy page of the load benchmark (README "What a
request costs"). Not part of `make test`.

    python -m tests.bench.load.cpu [--url URL] [--repeat 100] [--only TEXT] [--profile DIR]

The databases are the load benchmark's (`python -m tests.bench.load --reuse` builds and keeps them; SQLite
demo by default, `--url` for the 10k file or PostgreSQL). The test client signs in through the real forms as
the benchmark's four people and asks each page as the load generator does (no Accept-Encoding, so no
compression); 10 requests warm up, then `--repeat` are timed with `time.process_time`: CPU of this
process only, so a busy machine disturbs it far less than wall time (the database server's own time on
PostgreSQL is not in it). `--profile DIR` writes a cProfile file per page (CPU time) for pstats or snakeviz.
"""
from __future__ import annotations

import argparse
import re
import statistics
import time

from tests.bench.load.__main__ import BENCH_DIR, DEMO_PASSWORD, ROLES, pages
from tests.bench.load.servers import targets

CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _token(client, path: str) -> str:
    return CSRF_RE.search(client.get(path).get_data(as_text=True)).group(1)


def signed_in_clients(app, found: dict) -> dict:
    """A test client per role, signed in through the sign-in forms; the guardian acts for Sam."""
    clients = {}
    for role, (site, login) in ROLES.items():
        client = app.test_client()
        field = "username" if site == "portal" else "email"
        answer = client.post(f"/{site}/login", data={field: login, "password": DEMO_PASSWORD,
                                                     "csrf_token": _token(client, f"/{site}/login")})
        if answer.status_code != 302:
            raise RuntimeError(f"{login} could not sign in ({answer.status_code})")
        clients[role] = client
    guardian = clients["guardian"]
    if guardian.post("/portal/acting-for", data={"client_id": found["sam"],
                                                 "csrf_token": _token(guardian, "/portal/switch")}).status_code != 302:
        raise RuntimeError("the guardian could not switch to Sam")
    return clients


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"sqlite:///{BENCH_DIR / 'caseport-bench.sqlite3'}")
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--only", default="", help="Pages whose name contains this text.")
    parser.add_argument("--profile", default="", help="A folder for one cProfile file per page.")
    opts = parser.parse_args(argv)
    from portal_app import create_app

    found = targets(opts.url)
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": opts.url, "RATELIMIT_ENABLED": False})
    clients = signed_in_clients(app, found)
    print(f"{'page':<34} {'median':>7} {'p25':>7} {'mean':>7}  (CPU ms per request)")
    for page, role, path, headers in pages(found):
        if opts.only not in page:
            continue
        client = clients[role]
        expected = 204 if page.endswith("(204)") else 200  # a live poll with nothing new answers 204
        for _ in range(10):
            if client.get(path, headers=headers).status_code != expected:
                raise RuntimeError(f"{path} did not answer {expected}")
        profiler = None
        if opts.profile:
            import cProfile

            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
        times = []
        for _ in range(opts.repeat):
            started = time.process_time()
            client.get(path, headers=headers)
            times.append((time.process_time() - started) * 1000)
        if profiler is not None:
            profiler.disable()
            name = re.sub(r"\W+", "_", page).strip("_")
            profiler.dump_stats(f"{opts.profile}/{name}.prof")
        times.sort()
        print(f"{page:<34} {statistics.median(times):>7.2f} {times[len(times) // 4]:>7.2f} "
              f"{statistics.mean(times):>7.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
