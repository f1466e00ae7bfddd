"""HTTP for the load benchmark: sign in through the real forms, then load a page at fixed concurrency.

wrk when installed (a Lua script counts non-2xx and 5xx answers), else a bundled client: threads each
holding one keep-alive connection, for the same duration.
"""
from __future__ import annotations

import http.client
import json
import re
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
WRK_SCRIPT = Path(__file__).with_name("count_status.lua")


@dataclass
class Load:
    """What one page did under load."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    non_2xx: int
    status_5xx: int
    socket_errors: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "rps": round(self.rps, 1)}


class Browser:
    """One person's cookies on one server (site cookies are distinct, so a dict of names is enough)."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def request(self, method: str, path: str, body: dict | None = None,
                headers: dict | None = None) -> tuple[int, str]:
        sent = {"Cookie": self.cookie_header(), **(headers or {})}
        data = None
        if body is not None:
            data = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=data, headers=sent)
            resp = self.conn.getresponse()
        except (http.client.HTTPException, OSError):  # the server closed an idle keep-alive connection
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.conn.request(method, path, body=data, headers=sent)
            resp = self.conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        for header in resp.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return resp.status, text

    def close(self) -> None:
        """Hang up: gunicorn's graceful stop waits up to 30 s for an open keep-alive connection."""
        self.conn.close()

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def sign_in(self, site: str, login: str, password: str) -> None:
        """GET the form (session + CSRF token), POST it; a 302 means signed in."""
        status, page = self.request("GET", f"/{site}/login")
        match = CSRF_RE.search(page)
        if status != 200 or match is None:
            raise RuntimeError(f"/{site}/login answered {status} without a form")
        field = "username" if site == "portal" else "email"
        status, _ = self.request("POST", f"/{site}/login",
                                 {field: login, "password": password, "csrf_token": match.group(1) or match.group(2)})
        if status != 302:
            raise RuntimeError(f"signing in {login} on /{site} answered {status}")

    def post_form(self, path: str, data: dict, token_from: str) -> int:
        """POST a form with the CSRF token of a signed-in page; the status."""
        _, page = self.request("GET", token_from)
        match = CSRF_RE.search(page)
        return self.request("POST", path, {**data, "csrf_token": match.group(1) or match.group(2)})[0]

    def single_ms(self, path: str, headers: dict | None = None, repeat: int = 31,
                  budget: float = 4.0, warm_up: int = 30) -> tuple[float, int]:
        """Median time of one request at a time (up to `repeat` or `budget` seconds), after `warm_up` requests
        (at most 2 s of them). The warm-up is this page's statements becoming prepared on each pooled
        connection: psycopg prepares a statement on its 5th run on a connection, and the pool hands its five
        connections out in turn, so the first 25 or so requests after another page's load plan their SQL
        again (the staff home at 10k: 12 ms, then 9)."""
        status = 0
        warm_until = time.perf_counter() + 2.0
        for _ in range(warm_up):
            self.request("GET", path, headers=headers)
            if time.perf_counter() > warm_until:
                break
        times: list[float] = []
        stop_at = time.perf_counter() + budget
        while len(times) < repeat and (len(times) < 3 or time.perf_counter() < stop_at):
            started = time.perf_counter()
            status, _ = self.request("GET", path, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), status


def run_wrk(base: str, path: str, headers: dict, seconds: float, connections: int) -> Load:
    """wrk -c connections for `seconds`; the Lua script prints one JSON line with the counts."""
    args = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(WRK_SCRIPT)]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(args + [base + path], capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("JSON "))
    found = json.loads(line[5:])
    return Load(requests=found["requests"], seconds=found["duration_us"] / 1e6, p50_ms=found["p50_us"] / 1000,
                p95_ms=found["p95_us"] / 1000, non_2xx=found["non2xx"], status_5xx=found["fivexx"],
                socket_errors=found["socket_errors"])


def run_threads(base: str, path: str, headers: dict, seconds: float, connections: int) -> Load:
    """The bundled generator: `connections` threads, one keep-alive connection each, closed loop."""
    parts = urlsplit(base)
    latencies: list[float] = []
    counts = {"non2xx": 0, "5xx": 0, "socket": 0}
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine, bad, worse, broken = [], 0, 0, 0
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
            except (OSError, http.client.HTTPException):
                broken += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                continue
            mine.append((time.perf_counter() - started) * 1000)
            bad += not 200 <= resp.status < 300
            worse += resp.status >= 500
        with lock:
            latencies.extend(mine)
            counts["non2xx"] += bad
            counts["5xx"] += worse
            counts["socket"] += broken

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]  # a stopped run ends now
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    pick = (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]) if latencies else (lambda q: 0.0)
    return Load(requests=len(latencies), seconds=elapsed, p50_ms=pick(0.5), p95_ms=pick(0.95),
                non_2xx=counts["non2xx"], status_5xx=counts["5xx"], socket_errors=counts["socket"])


def load(base: str, path: str, headers: dict, seconds: float, connections: int = 16,
         generator: str = "auto") -> tuple[Load, str]:
    """Load one page; returns the figures and which generator made them."""
    use_wrk = generator == "wrk" or (generator == "auto" and shutil.which("wrk"))
    if use_wrk:
        return run_wrk(base, path, headers, seconds, connections), "wrk"
    return run_threads(base, path, headers, seconds, connections), "python"
