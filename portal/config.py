"""Configuration defaults and the checks that keep production safe.

Order of precedence: these defaults, then ``instance/config.py``, then the
environment (``SECRET_KEY``, ``DATABASE_URL``, ``PORTAL_ENV``), then the test config.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

DEFAULTS = {
    "PORTAL_ENV": "development",
    # hide_parameters: SQL errors in logs must never show a BSN or other personal data.
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
    # Sessions: server-side login sessions bound to a random token in the signed cookie.
    "SESSION_IDLE_TIMEOUT": timedelta(minutes=15),
    "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=8),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_NAME": "portal_session",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
    # Mock eHerkenning is off unless configured on (the run command switches it on).
    "MOCK_EHERKENNING_ENABLED": False,
    "EHERKENNING_AUDIENCE": "urn:portal:zakelijk",
    "EHERKENNING_ASSERTION_MAX_AGE": 120,
    "LOGIN_STATE_MAX_AGE": 600,
    "WTF_CSRF_TIME_LIMIT": None,  # the session bounds the token's life
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_LOGIN": "20 per minute",
    # Aanmelden: the 120-day rule, and how far ahead an ingangsdatum may lie.
    "AANMELDING_MAX_DAGEN_TERUG": 120,
    "AANMELDING_MAX_DAGEN_VOORUIT": 365,
    # Afmelden (einde collectiviteit): how far the einddatum may lie back and ahead.
    "AFMELDING_MAX_DAGEN_TERUG": 120,
    "AFMELDING_MAX_DAGEN_VOORUIT": 365,
    "RATELIMIT_EXPORT": "10 per minute",
    # The meldingen API: failed logins per address, and all requests per credential.
    "RATELIMIT_API_AUTH": "10 per minute",
    "RATELIMIT_API": "6000 per minute",
    # Upload aan- en afmeldingen: the most lines one file may hold.
    "UPLOAD_MAX_REGELS": 10_000,
    "HSTS": False,
}

PRODUCTION_OVERRIDES = {
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_NAME": "__Host-portal_session",
    "MOCK_EHERKENNING_ENABLED": False,
    "HSTS": True,
    "DEBUG": False,
    "TESTING": False,
}


def load_environment(config: dict) -> None:
    """Read the few settings that may come from the environment."""
    if os.environ.get("SECRET_KEY"):
        config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(os.environ["DATABASE_URL"])
    if os.environ.get("PORTAL_ENV"):
        config["PORTAL_ENV"] = os.environ["PORTAL_ENV"]
    if os.environ.get("RATELIMIT_STORAGE_URI"):
        config["RATELIMIT_STORAGE_URI"] = os.environ["RATELIMIT_STORAGE_URI"]
    if os.environ.get("MOCK_EHERKENNING_ENABLED"):
        config["MOCK_EHERKENNING_ENABLED"] = os.environ["MOCK_EHERKENNING_ENABLED"] == "1"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(config: dict) -> None:
    """On PostgreSQL, plan every statement for its own values. psycopg prepares a statement on
    the server after five runs, and PostgreSQL may then settle on one generic plan: with it a
    name search over 200 contracts took 6 to 7 ms once settled (median 5.2 ms), planned for its
    values 3.6 ms (bench database, 180 runs)."""
    if not config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    opties = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
    opties["connect_args"] = {
        "options": "-c plan_cache_mode=force_custom_plan",
        **opties.get("connect_args", {}),
    }
    config["SQLALCHEMY_ENGINE_OPTIONS"] = opties


OMGEVINGEN = ("development", "production")
# A signing key shorter than this can be guessed offline from one session cookie.
MIN_SECRET_KEY_BYTES = 32


def apply_production(config: dict) -> None:
    """Force the settings production must have, whatever else was configured.

    Only the two known environments start: a typo such as 'prod' would otherwise run a
    production install in development mode, with the mock login on and cookies without Secure."""
    omgeving = config.get("PORTAL_ENV")
    if omgeving not in OMGEVINGEN:
        raise RuntimeError(f"PORTAL_ENV moet 'development' of 'production' zijn, niet {omgeving!r}")
    if omgeving == "production":
        config.update(PRODUCTION_OVERRIDES)
        sleutel = config.get("SECRET_KEY") or ""
        if not sleutel:
            raise RuntimeError("SECRET_KEY is verplicht in productie")
        if len(sleutel.encode() if isinstance(sleutel, str) else sleutel) < MIN_SECRET_KEY_BYTES:
            raise RuntimeError(f"SECRET_KEY moet in productie minstens {MIN_SECRET_KEY_BYTES} bytes zijn")


def instance_secret_key(instance_path: str) -> str:
    """Return the secret key kept in ``instance/secret_key``, creating it on first start."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
