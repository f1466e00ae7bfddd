"""S5/S14: gunicorn's access log, as `make run` and the README start it, keeps no signed-link token."""
from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

from portal_app.gunicorn_logging import cut_tokens
from tests import gunicorn_process

ROOT = gunicorn_process.ROOT
TOKEN = "eyJpIjo3LCJuIjoiYWJjIn0.aBcDeF.SeCrEtSiGnAtUrE"


def _get(url: str, **headers: str) -> None:
    try:
        urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10).close()
    except urllib.error.HTTPError:
        pass  # 400 for a made-up token: only the log line matters here


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn started with the shared gunicorn.conf.py, as `make run` and the README do."""
    env = {"CASEPORT_ENV": "test", "CASEPORT_INSTANCE": str(tmp_path),
           "TEST_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    with gunicorn_process.gunicorn(["--workers", "1"], env) as running:
        yield running


def test_signed_link_tokens_are_cut_from_the_access_log(gunicorn):
    proc, base = gunicorn
    _get(f"{base}/links/reset/{TOKEN}")
    _get(f"{base}/links/invite/{TOKEN}?x=1")
    _get(f"{base}/portal/register", Referer=f"{base}/links/invite/{TOKEN}")
    proc.terminate()
    log = proc.stdout.read()
    proc.wait(timeout=10)
    assert "/links/reset/[cut]" in log and "/links/invite/[cut]" in log, log
    assert "SeCrEtSiGnAtUrE" not in log and TOKEN not in log


def test_cut_tokens_leaves_other_paths_alone():
    assert cut_tokens(f"GET /links/reset/{TOKEN}?a=1 HTTP/1.1") == "GET /links/reset/[cut]?a=1 HTTP/1.1"
    assert cut_tokens("/links/") == "/links/" and cut_tokens("/staff/clients/7") == "/staff/clients/7"


def test_make_run_and_the_readme_start_gunicorn_with_the_shared_settings():
    for text in ((ROOT / "Makefile").read_text(), (ROOT / "README.md").read_text()):
        commands = re.findall(r"gunicorn [^\n]*", text)
        starts = [c for c in commands if "wsgi:app" in c or c.rstrip().endswith("\\")]
        assert starts and all("-c gunicorn.conf.py" in c for c in starts), starts
