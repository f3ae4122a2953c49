"""Configuration read from environment variables, with safe defaults for a demo."""

import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'handlingsplan.sqlite'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    # Several app servers must share one key, so a generated key is kept in instance/.
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "sv"
    # The municipality's time zone: the day "today" is, the year "this year" is, where a day
    # given as a date ends, and the zone every time is shown in (intranet.core.clock). One
    # setting for both, so that a date shown is always the day the rules counted with.
    MUNICIPALITY_TIMEZONE = os.environ.get("MUNICIPALITY_TIMEZONE", "Europe/Stockholm")
    BABEL_DEFAULT_TIMEZONE = MUNICIPALITY_TIMEZONE
    # Tests only: a file holding an ISO 8601 moment with its offset that the clock shows from
    # the file's modification time on and runs on from (see intranet.core.clock); the
    # browser tests' server is started with it. Empty: the system clock.
    CLOCK_FILE = os.environ.get("CLOCK_FILE", "")
    LANGUAGES = ("sv", "en")
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 5 * 1024 * 1024))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    # Served over HTTPS (said either way): the cookies must never travel in clear text.
    SESSION_COOKIE_SECURE = (
        os.environ.get("SESSION_COOKIE_SECURE", "0") == "1" or PREFERRED_URL_SCHEME == "https"
    )
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Sign-in rate limit, counted in the database so that every app server sees it.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", "5"))
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))
    LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
    # State-changing requests per signed-in user ("<n>/<second|minute|hour|day>", "0" = off),
    # counted in the database like sign-in failures; generous enough for imports and meetings.
    WRITE_RATE_LIMIT = os.environ.get("WRITE_RATE_LIMIT", "120/minute")
    # Optional directory sign-in (LDAP / Active Directory); see README.
    LDAP_URL = os.environ.get("LDAP_URL", "")
    LDAP_USER_DN_TEMPLATE = os.environ.get("LDAP_USER_DN_TEMPLATE", "")
    LDAP_TIMEOUT = int(os.environ.get("LDAP_TIMEOUT", "5"))
    WTF_CSRF_TIME_LIMIT = None
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "handlingsplan-demo")
    # Signed checkpoints of the history's head, outside the database (see README, "Tamper
    # evidence"). Empty paths mean instance/checkpoints.log and instance/checkpoint-key.pem.
    CHECKPOINT_LOG = os.environ.get("CHECKPOINT_LOG", "")
    CHECKPOINT_KEY = os.environ.get("CHECKPOINT_KEY", "")
    CHECKPOINT_INTERVAL_SECONDS = float(os.environ.get("CHECKPOINT_INTERVAL_SECONDS", "0"))
    # How long a committed transaction may lack its signed checkpoint line before verify
    # calls it a forgery or a lost line (reported as pending until then).
    CHECKPOINT_GRACE_SECONDS = float(os.environ.get("CHECKPOINT_GRACE_SECONDS", "60"))
    # SHA-256 of the public key (`flask audit public-key`): any other signing key is flagged.
    CHECKPOINT_TRUSTED_FINGERPRINT = os.environ.get("CHECKPOINT_TRUSTED_FINGERPRINT", "")
    # "Verifiera nu": once per user per this many minutes; the lease of a verification whose
    # worker died expires after this many seconds.
    VERIFY_NOW_MINUTES = float(os.environ.get("VERIFY_NOW_MINUTES", "10"))
    VERIFY_LEASE_SECONDS = float(os.environ.get("VERIFY_LEASE_SECONDS", "3600"))
    CHECKPOINT_SYSLOG = os.environ.get("CHECKPOINT_SYSLOG", "0") == "1"
    CHECKPOINT_SYSLOG_ADDRESS = os.environ.get("CHECKPOINT_SYSLOG_ADDRESS", "")
