"""Configuration at start: where the secret comes from, and what production refuses (one line, no traceback)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from config import DEFAULT_SECRET, SECRET_FILE, ConfigError
from portal_app import create_app
from tests.test_i18n import spanish  # noqa: F401  (production refuses to start without it)

ROOT = Path(__file__).resolve().parent.parent
_SEAL: dict[str, str] = {}


def seal_files() -> dict[str, str]:
    """A seal key and certificate for production apps (production refuses to start without them)."""
    if not _SEAL:
        from portal_app.documents.seal import generate_self_signed

        key_file, cert_file = generate_self_signed(Path(tempfile.mkdtemp()) / "seal", "Test production seal")
        _SEAL.update(SEAL_KEY_FILE=str(key_file), SEAL_CERT_FILE=str(cert_file))
    return _SEAL


def development_app(instance: Path, monkeypatch, **overrides):
    monkeypatch.setenv("CASEPORT_INSTANCE", str(instance))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    return create_app("development", {"SQLALCHEMY_DATABASE_URI": "sqlite://", **overrides})


def test_make_run_signs_with_a_random_key_kept_in_the_instance_folder(tmp_path, monkeypatch):
    first = development_app(tmp_path / "one", monkeypatch)
    key_file = tmp_path / "one" / SECRET_FILE
    assert key_file.exists() and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    secret = first.config["SECRET_KEY"]
    assert len(secret) >= 32 and secret != DEFAULT_SECRET and secret in key_file.read_text()
    assert development_app(tmp_path / "one", monkeypatch).config["SECRET_KEY"] == secret  # kept
    assert development_app(tmp_path / "two", monkeypatch).config["SECRET_KEY"] != secret  # not in the code


def test_development_uses_a_given_secret_and_refuses_the_published_one(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEPORT_INSTANCE", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    assert create_app("development", {"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"] == "x" * 40
    assert not (tmp_path / SECRET_FILE).exists()
    monkeypatch.setenv("SECRET_KEY", DEFAULT_SECRET)
    with pytest.raises(ConfigError, match="published"):
        create_app("development", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def _start(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "RATELIMIT_STORAGE_URI")}
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**base, "CASEPORT_INSTANCE": str(tmp_path), **env})


@pytest.mark.parametrize("args", [["-c", "import wsgi"], ["-m", "flask", "--app", "wsgi.py", "routes"]],
                         ids=["wsgi", "cli"])
def test_a_missing_secret_in_production_is_one_line(tmp_path, args):
    done = _start(args, tmp_path, CASEPORT_ENV="production")
    assert done.returncode == 3
    lines = done.stderr.strip().splitlines()
    assert lines == ["Caseport cannot start: SECRET_KEY must be set to a long random value in production"], lines


# --- production, read literally -----------------------------------------------------------------

STRONG = "s" * 48


def production(monkeypatch, **overrides):
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv("AUDIT_HMAC_KEY", "a" * 48)
    for name in ("DATABASE_URL", "RATELIMIT_STORAGE_URI", "INSECURE_HTTP_TRIAL"):
        monkeypatch.delenv(name, raising=False)
    settings = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/13",
                **seal_files()}
    return create_app("production", {**settings, **overrides})


@pytest.mark.parametrize(("missing", "variable"), [("SQLALCHEMY_DATABASE_URI", "DATABASE_URL"),
                                                   ("RATELIMIT_STORAGE_URI", "RATELIMIT_STORAGE_URI")])
def test_production_refuses_a_missing_database_or_throttle_storage(monkeypatch, spanish, missing, variable):
    with pytest.raises(ConfigError, match=f"{variable} must be set in production"):
        production(monkeypatch, **{missing: None})


def test_production_warns_about_in_memory_throttles(monkeypatch, spanish, caplog):
    production(monkeypatch, RATELIMIT_STORAGE_URI="memory://")
    assert any(r.levelname == "WARNING" and "memory://" in r.getMessage() for r in caplog.records)


def test_production_refuses_to_start_without_the_compiled_spanish_catalogue(monkeypatch, tmp_path):
    (tmp_path / "es" / "LC_MESSAGES").mkdir(parents=True)
    with pytest.raises(ConfigError, match="es translations are not compiled"):
        production(monkeypatch, BABEL_TRANSLATION_DIRECTORIES=str(tmp_path))


def test_an_http_trial_of_production_is_explicit_and_loud(monkeypatch, spanish, caplog):
    secure = production(monkeypatch).test_client().get("/staff/login").headers["Set-Cookie"]
    assert "Secure" in secure
    monkeypatch.setenv("INSECURE_HTTP_TRIAL", "1")
    trial = create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_STORAGE_URI": "memory://",
                                      **seal_files()})
    assert trial.config["SESSION_COOKIE_SECURE"] is False and trial.config["HSTS"] is False
    assert "Secure" not in trial.test_client().get("/staff/login").headers["Set-Cookie"]
    assert any(r.levelname == "WARNING" and "INSECURE_HTTP_TRIAL=1" in r.getMessage() for r in caplog.records)
