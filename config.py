"""Configuration classes; each reads its settings from the environment."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("CASEPORT_INSTANCE", BASE_DIR / "instance"))

DEFAULT_SECRET = "dev-only-secret-change-me"


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'caseport.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = _env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
    # Stored files (uploads, PDFs, photos) by content hash; never under static/ (S11).
    FILES_DIR = os.environ.get("FILES_DIR", str(INSTANCE_DIR / "files"))

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
    LOGIN_LOCKOUT_THRESHOLD = _env_int("LOGIN_LOCKOUT_THRESHOLD", 5)
    LOGIN_LOCKOUT_MINUTES = _env_int("LOGIN_LOCKOUT_MINUTES", 15)

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
    SEND_FILE_MAX_AGE_DEFAULT = timedelta(days=7)


class DevelopmentConfig(Config):
    """`make run`: embedded SQLite, emails written to instance/outbox."""

    DEBUG = False
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_SSL_STRICT = False
    AUDIT_HMAC_KEY_GENERATE = True


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


class ProductionConfig(Config):
    """gunicorn behind a load balancer: PostgreSQL, Redis, HTTPS."""

    HSTS = True
    PREFERRED_URL_SCHEME = "https"
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")

    @classmethod
    def check(cls) -> None:
        """Refuse to start with a missing, default or short secret or audit key."""
        secret = os.environ.get("SECRET_KEY", "")
        if not secret or secret == DEFAULT_SECRET:
            raise RuntimeError("SECRET_KEY must be set to a long random value in production")
        if len(secret) < 32:
            raise RuntimeError("SECRET_KEY must be at least 32 characters")
        # SECRET_KEY above was read when this module was imported; sign with the secret just checked.
        cls.SECRET_KEY = secret
        audit_key = os.environ.get("AUDIT_HMAC_KEY", "")
        if len(audit_key) < 32 or audit_key == secret:
            raise RuntimeError("AUDIT_HMAC_KEY must be set to a random value of 32+ characters, "
                               "different from SECRET_KEY, in production")
        cls.AUDIT_HMAC_KEY = audit_key


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
