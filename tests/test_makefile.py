"""What `make run` hands to the processes it starts (read with a rule added on the command line: nothing runs)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def make_env(variable: str, *args: str, **env: str) -> str:
    """The value of `variable` in the environment of make's recipes."""
    assert shutil.which("make"), "make is needed to run Caseport"
    base = {k: v for k, v in os.environ.items() if k not in ("PORT", "PUBLIC_BASE_URL", "MAKEFLAGS")}
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", f'show-env: ; @echo "$${variable}"', "show-env", *args],
        cwd=ROOT, env={**base, **env}, capture_output=True, text=True, check=True,
    )
    return out.stdout.strip()


@pytest.mark.parametrize(("args", "env"), [((), {"PORT": "5201"}), (("PORT=5201",), {})])
def test_email_links_follow_the_port_make_run_serves_on(args, env):
    assert make_env("PUBLIC_BASE_URL", *args, **env) == "http://127.0.0.1:5201"


def test_a_given_public_base_url_wins():
    assert make_env("PUBLIC_BASE_URL", PORT="5201", PUBLIC_BASE_URL="https://caseport.example.org") == (
        "https://caseport.example.org")
