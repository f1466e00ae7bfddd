"""`make bench-load` (P4, P6): Caseport's busy pages under gunicorn at demo size and at 10k, against hello-world.

    python -m tests.bench.load [--seconds 5] [--connections 16] [--sizes demo,10k] [--generator auto|wrk|python]
                               [--reuse] [--only TEXT]

SQLite files under instance/bench/ by default; PostgreSQL when DATABASE_URL is set (that database and
`<name>_10k` beside it are emptied). The demo network is loaded and measured, then copied and grown to the
issue 8 data set (dataset.py) and measured again. --reuse keeps databases already built by an earlier run.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BENCH_DIR = ROOT / "instance" / "bench"
os.environ.setdefault("CASEPORT_INSTANCE", str(BENCH_DIR))  # demo photos and outbox stay in the scratch folder
os.environ.setdefault("CASEPORT_ENV", "development")  # as `make run`

from tests.bench.load.traffic import Browser, load  # noqa: E402
from tests.bench.load.servers import (  # noqa: E402
    GUNICORN_FLAGS, Gunicorn, build_demo, client_count, copy_database, database_url, grow_to, settle,
    stop_on_signals, targets, sized_url)
from tests.bench.load.dataset import SIZES  # noqa: E402

DEMO_PASSWORD = "caseport-demo-2026"
ROLES = {  # role -> (site, login)
    "staff": ("staff", "casey@riverside.example"),
    "partner": ("partner", "partner@hope.example"),
    "self": ("portal", "maria"),
    "guardian": ("portal", "guardian"),
}
HTMX = {"HX-Request": "true"}
POLL = {"HX-Request": "true", "X-Background-Poll": "1"}  # a live dashboard's background poll (issue 14 item 5)


def pages(t: dict) -> list[tuple[str, str, str, dict]]:
    """(page, role, path, extra headers) for every busy page of issue 8."""
    return [
        ("staff client list", "staff", "/staff/clients", {}),
        ("staff client search (htmx)", "staff", "/staff/clients?q=gonz", HTMX),
        ("staff client profile", "staff", f"/staff/clients/{t['ordinary']}", {}),
        ("staff client log", "staff", f"/staff/clients/{t['ordinary']}/log", {}),
        ("staff client log (big client)", "staff", f"/staff/clients/{t['big']}/log", {}),
        ("staff home (Needs Review)", "staff", "/staff/", {}),
        ("staff inbox", "staff", "/staff/messages", {}),
        ("staff conversation", "staff", f"/staff/messages/{t['staff_conversation']}", {}),
        ("staff client referrals", "staff", f"/staff/clients/{t['big']}/referrals", {}),
        ("staff referrals live poll (204)", "staff",
         f"/staff/clients/{t['big']}/referrals?live={t['referrals_version']}", POLL),
        ("partner shared clients", "partner", "/partner/", {}),
        ("partner shared client", "partner", f"/partner/clients/{t['big']}", {}),
        ("portal home (self)", "self", "/portal/", {}),
        ("portal messages (self)", "self", "/portal/messages", {}),
        ("portal conversation (self)", "self", f"/portal/messages/{t['self_conversation']}", {}),
        ("portal home (guardian)", "guardian", "/portal/", {}),
        ("portal messages (guardian)", "guardian", "/portal/messages", {}),
        ("portal conversation (guardian)", "guardian", f"/portal/messages/{t['guardian_conversation']}", {}),
    ]


def measure_size(url: str, size: str, hello: dict, opts) -> list[dict]:
    """Serve the database with gunicorn, sign in once per role, then single-request times and load per page."""
    rows = []
    found = targets(url)
    with Gunicorn("wsgi:app", {"DATABASE_URL": url}, BENCH_DIR / f"access-{size}.log") as server:
        browsers = _signed_in(server, found)  # the guardian acts for Sam, whose conversation the page opens
        for page, role, path, headers in pages(found):
            if opts.only not in page:
                continue
            who = browsers[role]
            settle(url)  # the previous page's audit events are sealed first: each page pays for its own
            single, status = who.single_ms(path, headers)
            result, generator = load(server.base, path, {"Cookie": who.cookie_header(), **headers}, opts.seconds,
                                     opts.connections, opts.generator)
            row = {"size": size, "page": page, "path": path, "status": status, "single_ms": round(single, 1),
                   "generator": generator, **result.as_dict(),
                   "ratio": round(result.rps / hello["rps"], 3) if hello["rps"] else None}
            rows.append(row)
            print(_line(row), flush=True)
        for browser in browsers.values():
            browser.close()
    return rows


def _signed_in(server: Gunicorn, found: dict) -> dict[str, Browser]:
    """One Browser per role on `server`, signed in through the real forms; the guardian acts for Sam."""
    browsers = {}
    for role, (site, login) in ROLES.items():
        browsers[role] = Browser(server.base)
        browsers[role].sign_in(site, login, DEMO_PASSWORD)
    if browsers["guardian"].post_form("/portal/acting-for", {"client_id": found["sam"]}, "/portal/switch") != 302:
        raise RuntimeError("the guardian could not switch to Sam")
    return browsers


PAIRED_ROUNDS, PAIRED_BATCH = 6, 10


def measure_paired(urls: dict[str, str], opts) -> dict[str, dict[str, float]]:
    """P6, each page's single-request time at every size measured side by side: one server per size, all up at
    once, and for each page rounds of PAIRED_BATCH requests to each size in turn (the order alternating).
    Measured minutes apart, before each size's load, the same page's time followed the machine's drift
    (+-25 % here), not the data. Returns page -> size -> median ms."""
    found = {size: targets(url) for size, url in urls.items()}
    times: dict[str, dict[str, float]] = {}
    with contextlib.ExitStack() as stack:
        servers = {size: stack.enter_context(Gunicorn("wsgi:app", {"DATABASE_URL": url},
                                                      BENCH_DIR / f"access-paired-{size}.log"))
                   for size, url in urls.items()}
        browsers = {size: _signed_in(server, found[size]) for size, server in servers.items()}
        order = list(urls)
        for page, role, _, headers in pages(found[order[0]]):
            if opts.only not in page:
                continue
            paths = {size: dict((p[0], p[2]) for p in pages(found[size]))[page] for size in order}
            for url in urls.values():
                settle(url)
            for size in order:  # warm: the statements prepared on each pooled connection (Browser.single_ms)
                for _ in range(30):
                    browsers[size][role].request("GET", paths[size], headers=headers)
            samples: dict[str, list[float]] = {size: [] for size in order}
            for round_number in range(PAIRED_ROUNDS):
                for size in (order if round_number % 2 == 0 else order[::-1]):
                    for _ in range(PAIRED_BATCH):
                        started = time.perf_counter()
                        browsers[size][role].request("GET", paths[size], headers=headers)
                        samples[size].append((time.perf_counter() - started) * 1000)
            times[page] = {size: round(statistics.median(values), 2) for size, values in samples.items()}
        for by_role in browsers.values():
            for browser in by_role.values():
                browser.close()
    return times


def measure_hello(opts) -> dict:
    with Gunicorn("tests.bench.load.hello:app", {}, BENCH_DIR / "access-hello.log") as server:
        browser = Browser(server.base)
        single, status = browser.single_ms("/")
        browser.close()
        result, generator = load(server.base, "/", {}, opts.seconds, opts.connections, opts.generator)
    row = {"size": "-", "page": "hello-world", "path": "/", "status": status, "single_ms": round(single, 2),
           "generator": generator, **result.as_dict(), "ratio": 1.0}
    print(_line(row), flush=True)
    return row


HEADER = (f"{'size':<5} {'page':<32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'non-2xx':>8} {'5xx':>6} "
          f"{'ratio':>7} {'single ms':>10}")


def _line(r: dict) -> str:
    if not r["requests"]:  # not one answer within the run: every request took longer than the run itself
        p50 = p95 = f"{'> run':>8}"
    else:
        p50, p95 = f"{r['p50_ms']:>8.1f}", f"{r['p95_ms']:>8.1f}"
    return (f"{r['size']:<5} {r['page']:<32} {r['rps']:>8.1f} {p50} {p95} "
            f"{r['non_2xx'] + r['socket_errors']:>8} {r['status_5xx']:>6} {r['ratio']:>7.3f} {r['single_ms']:>10.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 5)))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--sizes", default="demo,1k,10k", help="Any of demo, 1k and 10k.")
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--reuse", action="store_true", help="Keep the databases an earlier run built.")
    parser.add_argument("--only", default="", help="Only the pages whose name contains this text.")
    opts = parser.parse_args(argv)
    stop_on_signals()  # SIGTERM or Ctrl-C: the servers started so far are stopped, none is left running
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    url, kind = database_url()
    report = {"database": kind, "seconds": opts.seconds, "connections": opts.connections,
              "gunicorn": " ".join(GUNICORN_FLAGS[2:]) + " -c gunicorn.conf.py, outbox worker (as make run)",
              "build": {}, "rows": []}
    print(HEADER, flush=True)
    hello = measure_hello(opts)
    report["rows"].append(hello)
    sizes = opts.sizes.split(",")
    reuse_demo = opts.reuse and client_count(url) > 0
    grown_sizes = [size for size in SIZES if size in sizes]  # 1k, then 10k: copies of the demo, grown
    reusable = {size: opts.reuse and client_count(sized_url(url, size)) >= SIZES[size].clients
                for size in grown_sizes}
    if not reuse_demo and ("demo" in sizes or not all(reusable.values())):
        report["build"]["demo"] = build_demo(url)
    if "demo" in sizes:
        report["rows"] += measure_size(url, "demo", hello, opts)
    for size in grown_sizes:
        copy_url = sized_url(url, size)
        if not reusable[size]:
            copy_database(url, copy_url)
            grown = grow_to(copy_url, size)
            report["build"][size] = grown
            print(f"# grew to {size} in {grown['seconds']:.0f} s: {grown['rows']}", flush=True)
        report["rows"] += measure_size(copy_url, size, hello, opts)
    measured = [size for size in ("demo", *grown_sizes) if size in sizes]
    if "demo" in measured and len(measured) > 1:
        report["paired_single_ms"] = measure_paired({size: url if size == "demo" else sized_url(url, size)
                                                     for size in measured}, opts)
    _print_summary(report["rows"], report.get("paired_single_ms"))
    out = BENCH_DIR / f"bench-load-{kind}.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"# written to {out.relative_to(ROOT)}")
    return 0


def _print_summary(rows: list[dict], paired: dict[str, dict[str, float]] | None) -> None:
    """The table again, then P6: each page's single-request time at 10k over demo and over 1k, from the side by
    side measurement when there is one (else from each size's own run)."""
    if paired:
        singles = paired
        source = "measured side by side"
    else:
        singles = {}
        for r in rows:
            if r["size"] != "-":
                singles.setdefault(r["page"], {})[r["size"]] = r["single_ms"]
        source = "each size's own run"
    singles = {page: times for page, times in singles.items() if "10k" in times}
    if not singles:
        return
    print("\n" + HEADER)
    for r in rows:
        print(_line(r))
    print(f"\nSingle requests ({source}):")
    print(f"{'page':<32} {'demo ms':>8} {'1k ms':>8} {'10k ms':>8} {'10k/demo':>9} {'10k/1k':>8}  (P6: <= 1.5)")

    def cell(times: dict, size: str) -> str:
        return f"{times[size]:>8.1f}" if size in times else f"{'-':>8}"

    def ratio(times: dict, size: str, width: int) -> str:
        return f"{times['10k'] / times[size]:>{width}.2f}" if size in times else f"{'-':>{width}}"

    for page, times in singles.items():
        print(f"{page:<32} {cell(times, 'demo')} {cell(times, '1k')} {cell(times, '10k')} "
              f"{ratio(times, 'demo', 9)} {ratio(times, '1k', 8)}")


if __name__ == "__main__":
    t0 = time.perf_counter()
    code = main()
    print(f"# bench-load took {time.perf_counter() - t0:.0f} s")
    sys.exit(code)
