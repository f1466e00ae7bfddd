"""What `make run` hands to the processes it starts (read with a rule added on the command line: nothing runs)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request

import pytest

from portal_app import create_app
from portal_app.extensions import db
from tests.conftest import CSRF_RE
from tests.gunicorn_process import gunicorn

ROOT = Path(__file__).resolve().parent.parent


def make_echo(expression: str, *args: str, **env: str) -> str:
    """What `echo "<expression>"` prints in a recipe of the Makefile (a rule added on the command line)."""
    assert shutil.which("make"), "make is needed to run Caseport"
    base = {k: v for k, v in os.environ.items() if k not in ("PORT", "PUBLIC_BASE_URL", "MAKEFLAGS")}
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", f'show-it: ; @echo "{expression}"', "show-it", *args],
        cwd=ROOT, env={**base, **env}, capture_output=True, text=True, check=True,
    )
    return out.stdout.strip()


def make_env(variable: str, *args: str, **env: str) -> str:
    """The value of `variable` in the environment of make's recipes."""
    return make_echo(f"$${variable}", *args, **env)


@pytest.mark.parametrize(("args", "env"), [((), {"PORT": "5201"}), (("PORT=5201",), {})])
def test_email_links_follow_the_port_make_run_serves_on(args, env):
    assert make_env("PUBLIC_BASE_URL", *args, **env) == "http://127.0.0.1:5201"


def test_a_given_public_base_url_wins():
    assert make_env("PUBLIC_BASE_URL", PORT="5201", PUBLIC_BASE_URL="https://caseport.example.org") == (
        "https://caseport.example.org")


def _sign_in_attempts(base: str, email: str, times: int) -> list[int]:
    """Statuses of `times` wrong sign-ins for one account name, each with a fresh page and token."""
    statuses = []
    for _ in range(times):
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"{base}/staff/login", timeout=10).read().decode()
        token = CSRF_RE.search(page)
        data = urllib.parse.urlencode({"email": email, "password": "wrong password 1",
                                       "csrf_token": token.group(1) or token.group(2)}).encode()
        try:
            statuses.append(opener.open(f"{base}/staff/login", data=data, timeout=10).status)
        except urllib.error.HTTPError as err:
            statuses.append(err.code)
    return statuses


def test_make_run_keeps_the_sign_in_throttle_at_its_configured_rate(tmp_path):
    """make run's gunicorn (two workers) with its counters in a shared file: past the per-account limit
    every attempt is 429, whichever worker answers (3 a minute here)."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    schema = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    with schema.app_context():
        db.create_all()
        db.engine.dispose()
    env = {"CASEPORT_ENV": "test", "CASEPORT_INSTANCE": str(tmp_path), "TEST_DATABASE_URL": url,
           "TEST_RATELIMIT_STORAGE_URI": f"sqlite:///{tmp_path / 'throttles.sqlite3'}",
           "LOGIN_ACCOUNT_RATE_LIMIT": "3 per minute"}
    with gunicorn(make_echo("$(RUN_WORKERS)").split(), env) as (_proc, base):
        statuses = _sign_in_attempts(base, "someone@agency.test", 8)
    assert statuses == [401] * 3 + [429] * 5, statuses
