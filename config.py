"""Configuration classes; each reads its settings from the environment."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("CASEPORT_INSTANCE", BASE_DIR / "instance"))

# The secret older versions used by default: known to anyone who read the code, so refused everywhere.
DEFAULT_SECRET = "dev-only-secret-change-me"
SECRET_FILE = "secret.key"  # development: a random key generated on first run, kept in the instance folder


class ConfigError(RuntimeError):
    """A setting that makes Caseport unsafe or unable to run; the message says which and how to fix it."""


def instance_key(path: Path) -> str:
    """A random key kept in `path` (mode 0600), created on first use; development only.

    Several processes may start at once (`make run`: CLI, worker, gunicorn workers): the key is
    written to a private temporary file and linked into place, so every process reads the same one.
    """
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process won the race: use its key
        finally:
            tmp.unlink()
    key = path.read_text().strip()
    if len(key) < 32:
        raise ConfigError(f"{path} holds no usable key: delete it to have a new one generated")
    return key


def instance_secret(instance_dir: Path) -> str:
    """The development secret kept in `instance/secret.key`."""
    return instance_key(Path(instance_dir) / SECRET_FILE)


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY")  # never a default written here (see each class's check)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'caseport.sqlite3'}"
    )
    # hide_parameters: SQL errors never carry the values sent (emails, hashes, notes, messages) into logs (S14).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    MAX_CONTENT_LENGTH = _env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
    # Stored files (uploads, PDFs, photos) by content hash; never under static/ (S11).
    FILES_DIR = os.environ.get("FILES_DIR", str(INSTANCE_DIR / "files"))
    # Where stored bytes live: "local" (FILES_DIR) or "database" (a table of blobs; several app servers).
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")

    # Sealed PDFs (PAdES): the deployment's private key and certificate (PEM files). Development and test
    # generate a self-signed pair into <instance>/seal/ on first use; production refuses to start without them.
    SEAL_KEY_FILE = os.environ.get("SEAL_KEY_FILE")
    SEAL_CERT_FILE = os.environ.get("SEAL_CERT_FILE")
    SEAL_KEY_PASSWORD = os.environ.get("SEAL_KEY_PASSWORD")
    # After a rotation: the certificates sealed with before (PEM files, comma-separated), still trusted by
    # /links/verify so the PDFs they sealed keep verifying.
    SEAL_PREVIOUS_CERT_FILES = tuple(p.strip() for p in os.environ.get("SEAL_PREVIOUS_CERT_FILES", "").split(",")
                                     if p.strip())
    SEAL_GENERATE = False

    # Sessions: one cookie per site (see portal_app/sites.py).
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_ABSOLUTE_LIMIT = timedelta(hours=12)
    SESSION_IDLE_LIMITS = {
        "staff": timedelta(minutes=15),
        "partner": timedelta(minutes=30),
        "portal": timedelta(minutes=20),
        "kiosk": timedelta(minutes=3),
        "links": timedelta(minutes=20),
    }

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the site session
    WTF_CSRF_SSL_STRICT = True

    # Sign-in throttling (S2)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per minute")
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "10 per minute")
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "20 per minute")  # /links/verify checks per IP
    KIOSK_PAIRING_RATE_LIMIT = os.environ.get("KIOSK_PAIRING_RATE_LIMIT", "10 per hour")  # new codes per IP
    LOGIN_LOCKOUT_THRESHOLD = _env_int("LOGIN_LOCKOUT_THRESHOLD", 5)
    LOGIN_LOCKOUT_MINUTES = _env_int("LOGIN_LOCKOUT_MINUTES", 15)
    # How many proxies (load balancer, ingress) stand in front of gunicorn and append X-Forwarded-For:
    # with N > 0 the throttles and the audit trail see the person's address, not the balancer's.
    # Leave 0 when clients reach gunicorn directly (X-Forwarded-For is then ignored: it could be forged).
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)

    # Licence seats: enabled staff and partner accounts count against them.
    LICENCE_SEATS = _env_int("LICENCE_SEATS", 25)

    # Outbox email (R1)
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "file")  # "file" or "smtp"
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Caseport <no-reply@caseport.example>")
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", str(INSTANCE_DIR / "outbox"))
    OUTBOX_MAX_ATTEMPTS = _env_int("OUTBOX_MAX_ATTEMPTS", 8)
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")

    # The agency's time zone: dates and times typed into forms are wall-clock time here (IANA name).
    TIME_ZONE = os.environ.get("TIME_ZONE", "America/Los_Angeles")

    LANGUAGES = ("en", "es")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "portal_app" / "translations")

    # Audit trail (S13): rows carry an HMAC under this key, which the database never holds.
    AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY")
    AUDIT_HMAC_KEY_GENERATE = False  # development: make instance/audit-hmac.key once
    # Signed checkpoints of the sealed chain head (JSON lines), outside the database.
    AUDIT_CHECKPOINT_DIR = os.environ.get("AUDIT_CHECKPOINT_DIR")  # default: <instance>/audit-checkpoints
    AUDIT_SEAL_MAX_LAG = _env_int("AUDIT_SEAL_MAX_LAG", 60)  # seconds; audit-verify flags older unsealed rows

    HSTS = False
    # Unversioned static URLs; a URL carrying the file's hash (?v=) is cached for a year (portal_app/assets.py).
    SEND_FILE_MAX_AGE_DEFAULT = timedelta(hours=1)


class DevelopmentConfig(Config):
    """`make run`: embedded SQLite, emails written to instance/outbox."""

    DEBUG = False
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_SSL_STRICT = False
    # The sign-in throttles count in a file every gunicorn worker shares (portal_app/throttle_store.py).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI",
                                           f"sqlite:///{INSTANCE_DIR / 'throttles.sqlite3'}")
    AUDIT_HMAC_KEY_GENERATE = True
    SEAL_GENERATE = True

    @classmethod
    def check(cls, app: Flask) -> None:
        """Sign with SECRET_KEY when given, else with the random key kept in instance/secret.key."""
        secret = app.config.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
        if secret == DEFAULT_SECRET:
            raise ConfigError("SECRET_KEY is the value published in the code: remove it or set a random one")
        app.config["SECRET_KEY"] = secret or instance_secret(Path(app.instance_path))


class TestConfig(Config):
    """pytest: a database per run, real CSRF, real throttling in memory."""

    TESTING = True
    SECRET_KEY = "test-secret"
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_SSL_STRICT = False
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = os.environ.get("TEST_RATELIMIT_STORAGE_URI", "memory://")
    LICENCE_SEATS = 50
    ARGON2_PARAMS = {"time_cost": 1, "memory_cost": 8192}  # fast hashes; still argon2id
    PUBLIC_BASE_URL = "http://localhost"
    SERVER_NAME = None
    AUDIT_HMAC_KEY = "test-only-audit-key-0123456789abcdef"  # fixed: tests tamper and re-sign with it
    SEAL_GENERATE = True


class ProductionConfig(Config):
    """gunicorn behind a load balancer: PostgreSQL, Redis, HTTPS."""

    HSTS = True
    PREFERRED_URL_SCHEME = "https"
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    # No embedded defaults: production names its database and its throttle storage (see check).
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI")

    @classmethod
    def check(cls, app: Flask) -> None:
        """Refuse what would silently run a different deployment than the one described; warn about trials."""
        # Read now, not when this module was imported (the environment may have been set since).
        secret = os.environ.get("SECRET_KEY", "")
        if not secret or secret == DEFAULT_SECRET:
            raise ConfigError("SECRET_KEY must be set to a long random value in production")
        if len(secret) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters")
        app.config["SECRET_KEY"] = secret
        audit_key = os.environ.get("AUDIT_HMAC_KEY", "")
        if len(audit_key) < 32 or audit_key == secret:
            raise ConfigError("AUDIT_HMAC_KEY must be set to a random value of 32+ characters, "
                              "different from SECRET_KEY, in production")
        app.config["AUDIT_HMAC_KEY"] = audit_key
        cls._require(app, "SQLALCHEMY_DATABASE_URI", "DATABASE_URL",
                     "e.g. postgresql+psycopg://caseport@db/caseport (production never falls back to SQLite)")
        cls._require(app, "RATELIMIT_STORAGE_URI", "RATELIMIT_STORAGE_URI",
                     "e.g. redis://redis:6379/0 (memory:// only for a single-process trial)")
        if app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
            app.logger.warning(
                "RATELIMIT_STORAGE_URI=memory://: each gunicorn worker and instance counts sign-in attempts "
                "on its own, so the limits are multiplied; use Redis unless this is one process.")
        cls._require_catalogues(app)
        cls._require_storage_and_seal(app)
        if os.environ.get("INSECURE_HTTP_TRIAL") == "1":
            app.config.update(SESSION_COOKIE_SECURE=False, WTF_CSRF_SSL_STRICT=False, HSTS=False,
                              PREFERRED_URL_SCHEME="http")
            app.logger.warning(
                "INSECURE_HTTP_TRIAL=1: cookies are sent over plain HTTP and HSTS is off. For trying Caseport "
                "on a private network only: never with real people's data; unset it behind HTTPS.")

    @staticmethod
    def _require(app: Flask, key: str, variable: str, example: str) -> None:
        value = app.config.get(key) or os.environ.get(variable)
        if not value:
            raise ConfigError(f"{variable} must be set in production, {example}")
        app.config[key] = value

    @classmethod
    def _require_storage_and_seal(cls, app: Flask) -> None:
        """A known storage backend, and the seal's key and certificate (PDFs are never sealed with a
        key generated on the spot in production)."""
        from portal_app.storage import backend_name

        try:
            backend_name(app.config)
        except ValueError as err:
            raise ConfigError(str(err)) from err
        for key in ("SEAL_KEY_FILE", "SEAL_CERT_FILE"):
            cls._require(app, key, key, "the PEM files of the key and certificate that seal signed PDFs")
        from portal_app.documents.seal import SealCredentialsError, load_credentials

        try:
            load_credentials(app.config["SEAL_KEY_FILE"], app.config["SEAL_CERT_FILE"],
                             app.config.get("SEAL_KEY_PASSWORD") or os.environ.get("SEAL_KEY_PASSWORD"))
        except SealCredentialsError as err:
            raise ConfigError(str(err)) from err
        from cryptography import x509

        for path in app.config.get("SEAL_PREVIOUS_CERT_FILES") or []:
            try:
                x509.load_pem_x509_certificate(Path(path).read_bytes())
            except (OSError, ValueError) as err:
                raise ConfigError(f"SEAL_PREVIOUS_CERT_FILES: {path} is not a readable PEM certificate") from err

    @staticmethod
    def _require_catalogues(app: Flask) -> None:
        """Without the compiled catalogue, Spanish pages silently show English: refuse instead."""
        root = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
        for lang in app.config["LANGUAGES"]:
            compiled = root / lang / "LC_MESSAGES" / "messages.mo"
            if lang != app.config["BABEL_DEFAULT_LOCALE"] and not compiled.exists():
                raise ConfigError(f"the {lang} translations are not compiled: run "
                                  "`pybabel compile -d portal_app/translations` (or `make translations`)")


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
