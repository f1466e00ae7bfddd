"""The pieces of the production walk-through test: the README's blocks, processes, a browser at an address."""
from __future__ import annotations

import http.client
import os
import re
import shlex
import signal
import socket
import ssl
import subprocess
import textwrap
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from tests.conftest import CSRF_RE

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "deployment walk-through 2026"


# --- the README's blocks -----------------------------------------------------------------------

def production_section() -> str:
    text = (ROOT / "README.md").read_text()
    start = text.index("## Production deployment")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def readme_block(lang: str, containing: str) -> str:
    """The one fenced block of the production section in `lang` that contains `containing`."""
    blocks = [textwrap.dedent(body) for indent, fence_lang, body in
              re.findall(r"^( *)```(\w*)\n(.*?)^\1```", production_section(), re.M | re.S) if fence_lang == lang]
    found = [b for b in blocks if containing in b]
    assert len(found) == 1, f"README's production section: expected one ```{lang} block with {containing!r}"
    return found[0]


def replaced(text: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        assert old in text, f"README's production section no longer says {old!r}: update this test with it"
        text = text.replace(old, new)
    return text


def commands(block: str) -> list[list[str]]:
    """Each command line of a block, split as the shell would (no comments, no trailing `&`)."""
    lines = [line.split(" #")[0].strip() for line in block.splitlines()]
    return [shlex.split(line.rstrip("&").strip()) for line in lines if line and not line.startswith("#")]


# --- processes ---------------------------------------------------------------------------------

@dataclass
class Processes:
    """Every process the walk-through starts, each in its own process group, stopped at the end."""

    logs: Path
    running: list[tuple[str, subprocess.Popen]] = field(default_factory=list)

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        log.close()
        self.running.append((name, proc))
        return proc

    def stop_all(self) -> None:
        """nginx first (it holds connections to the instances), then the rest; SIGKILL after 10 s.

        gunicorn gets SIGINT (its quick shutdown: SIGTERM waits for idle workers, seconds per instance).
        """
        for name, proc in reversed(self.running):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT if name.startswith("instance") else signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _name, proc in reversed(self.running):
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)

    def tails(self) -> str:
        parts = []
        for path in sorted(self.logs.glob("*.log")):
            parts.append(f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-15:]))
        return "\n".join(parts)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(argv: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    out = subprocess.run(argv, cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"{shlex.join(argv)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}"
    return out.stdout


def wait_until_up(probe, what: str, procs: Processes, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            probe()
            return
        except OSError:
            dead = [name for name, proc in procs.running if proc.poll() is not None]
            if dead or time.monotonic() > deadline:
                raise AssertionError(f"{what} did not start (exited: {dead})\n{procs.tails()}") from None
            time.sleep(0.2)


# --- a browser at one address --------------------------------------------------------------------

class Browser:
    """One person's browser on one computer (source address): cookies, CSRF tokens, a same-origin Referer."""

    TLS = ssl._create_unverified_context()  # the walk-through's self-signed certificate

    def __init__(self, port: int, source: str):
        self.port, self.source, self.cookies = port, source, SimpleCookie()

    def request(self, method: str, path: str, form: dict | None = None, **headers: str):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, source_address=(self.source, 0),
                                           context=self.TLS, timeout=30)
        headers = {"Referer": f"https://127.0.0.1:{self.port}{path}", **headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items() if m.value)
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for cookie in resp.headers.get_all("Set-Cookie") or []:
            self.cookies.load(cookie)
        return resp.status, resp.headers, text

    def csrf(self, path: str) -> str:
        status, _headers, page = self.request("GET", path)
        match = CSRF_RE.search(page)
        assert status == 200 and match, f"no form at {path} ({status})"
        return match.group(1) or match.group(2)

    def sign_in(self, email: str, password: str = PASSWORD, **headers: str) -> int:
        token = self.csrf("/staff/login")
        return self.request("POST", "/staff/login", {"email": email, "password": password, "csrf_token": token},
                            **headers)[0]
