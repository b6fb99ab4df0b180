"""Configuration classes: the only place that reads the environment."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

WEAK_SECRET_KEYS = {"", "dev", "changeme", "secret", "development-only-not-secret"}


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'coalition.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MIGRATIONS_ENABLED = True
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    #: Base URL used in every link that leaves the site (mail, calendar feeds); never the request's Host.
    SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:5000").rstrip("/")
    SITE_NAME = "Coalition"

    #: How many reverse proxies (nginx) stand in front of the app: their X-Forwarded-For and X-Forwarded-Proto are
    #: trusted, so that limits per address see each visitor's address, not the proxy's. 0 trusts no such header:
    #: set it only when the app servers cannot be reached except through the proxies (docs/deploy.md).
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))

    # Request limits: refuse oversized bodies before they reach a view.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 4 * 1024 * 1024))
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024
    MAX_FORM_PARTS = 1000

    # Cookies: HttpOnly and SameSite=Lax everywhere, Secure where served over HTTPS.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    SESSION_COOKIE_NAME = "coalition_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_NAME = "coalition_remember"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Mail: everything goes through the outbox; `flask outbox send` delivers it.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Coalition <no-reply@coalition.localhost>")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", 10))
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", 8))
    #: A claim older than this is considered abandoned by a crashed worker and may be taken again.
    OUTBOX_CLAIM_TIMEOUT = timedelta(minutes=15)

    # Rate limits (Flask-Limiter): in memory by default; set RATELIMIT_STORAGE_URI=redis://... for several processes.
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    #: Put before every key in the storage, so that several installations can share one Redis.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "")
    RATELIMIT_HEADERS_ENABLED = True
    #: Per address: loose enough for a training of 20 people on one office network (one public address), each
    #: mistyping once or twice; guessing is held back by the per-account limit below.
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "60 per minute; 300 per hour")
    RATELIMIT_LOGIN_ACCOUNT = os.environ.get("RATELIMIT_LOGIN_ACCOUNT", "5 per minute; 20 per hour")
    RATELIMIT_SENSITIVE = os.environ.get("RATELIMIT_SENSITIVE", "5 per minute; 30 per hour")
    RATELIMIT_PUBLIC_FORM = os.environ.get("RATELIMIT_PUBLIC_FORM", "10 per minute; 60 per hour")
    #: Requests per API key (the OSDI API).
    RATELIMIT_API = os.environ.get("RATELIMIT_API", "120 per minute")

    # Webhooks: `flask webhooks send` delivers; private, loopback and link-local addresses are refused unless allowed.
    WEBHOOKS_ALLOW_PRIVATE = _bool("WEBHOOKS_ALLOW_PRIVATE", False)
    WEBHOOKS_MAX_ATTEMPTS = int(os.environ.get("WEBHOOKS_MAX_ATTEMPTS", 8))
    #: Failed attempts in a row after which an endpoint is disabled and the leads are told by mail.
    WEBHOOKS_DISABLE_AFTER = int(os.environ.get("WEBHOOKS_DISABLE_AFTER", 20))
    WEBHOOKS_TIMEOUT = float(os.environ.get("WEBHOOKS_TIMEOUT", 10))
    WEBHOOKS_CLAIM_TIMEOUT = timedelta(minutes=5)

    # Password hashing: Argon2id (argon2-cffi defaults follow RFC 9106's second recommendation).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 64 * 1024
    ARGON2_PARALLELISM = 4

    LANGUAGES = {"en": "English", "es": "Español"}
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "coalition" / "translations")

    TOKEN_MAX_AGE_VERIFY = timedelta(days=3)
    TOKEN_MAX_AGE_RESET = timedelta(hours=1)
    INVITATION_MAX_AGE = timedelta(days=14)

    PER_PAGE = 25

    #: Serve a page again to the same session while nothing it was made from has changed (core/pagecache.py), for
    #: at most PAGE_CACHE_SECONDS; kept in each process's memory, or in Redis (shared) when PAGE_CACHE_URL is set.
    PAGE_CACHE_ENABLED = _bool("PAGE_CACHE_ENABLED", True)
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 30))
    PAGE_CACHE_MAX_BYTES = int(os.environ.get("PAGE_CACHE_MAX_BYTES", 4 * 1024 * 1024))
    PAGE_CACHE_URL = os.environ.get("PAGE_CACHE_URL", "")
    HSTS = False
    DEBUG_TRACEBACKS = False


class DevelopmentConfig(Config):
    """Local development: SQLite file under instance/, mail to a local debugging server."""

    ENV_NAME = "development"
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 1025))
    WEBHOOKS_ALLOW_PRIVATE = _bool("WEBHOOKS_ALLOW_PRIVATE", True)


class TestingConfig(Config):
    """The test suite: SQLite unless TEST_DATABASE_URL says otherwise; cheap hashing; no limits unless asked."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    # Limits stay on (as in production) but generous; tests of throttling tighten them in app.config.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_LOGIN = RATELIMIT_LOGIN_ACCOUNT = RATELIMIT_SENSITIVE = RATELIMIT_PUBLIC_FORM = "10000 per minute"
    RATELIMIT_API = "10000 per minute"
    WEBHOOKS_ALLOW_PRIVATE = True
    WEBHOOKS_TIMEOUT = 3.0
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 1
    #: Flask-Mail silently drops mail when TESTING; the outbox tests deliver to a real SMTP server instead.
    MAIL_SUPPRESS_SEND = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    SITE_URL = "http://coalition.test"


class ProductionConfig(Config):
    """Production: PostgreSQL from DATABASE_URL, a strong SECRET_KEY, secure cookies, HSTS."""

    ENV_NAME = "production"
    #: Web workers never migrate: Flask-Migrate (and Alembic, ~11 MiB a worker) is set up only under the `flask`
    #: command (`flask db upgrade` at deploy time), where Flask sets FLASK_RUN_FROM_CLI.
    MIGRATIONS_ENABLED = False
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    HSTS = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    """Return the config class named by `name` or the COALITION_ENV environment variable."""
    return CONFIGS[name or os.environ.get("COALITION_ENV", "development")]
