"""Settings: safe defaults, then ``EAP_*`` environment variables, then the test dict.

In production (``EAP_ENV=production``) start-up refuses to run without the secrets; in
development the secret key and a data-encryption key are generated once into ``instance/``.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from flask import Flask

DEFAULTS = {
    "ENV_NAME": "development",
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SQLALCHEMY_RECORD_QUERIES": False,
    "SESSION_COOKIE_NAME": "__Host-eap_session",
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_PATH": "/",
    "REMEMBER_COOKIE_SECURE": True,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,  # absolute limit of any signed-in session
    "STAFF_IDLE_TIMEOUT": 30 * 60,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "BABEL_DEFAULT_LOCALE": "de",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": False,
    "RATELIMIT_ENABLED": True,
    "LOGIN_RATE_LIMIT": "5 per minute",
    "MAIL_SERVER": "",  # empty: e-mails are written to the log instead of sent
    "MAIL_PORT": 25,
    "MAIL_SENDER": "EAP-Portal iGuS <no-reply@igus-eap.example>",
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    "STRIPE_SECRET_KEY": "sk_test_development",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_development",
    "STRIPE_WEBHOOK_SECRET": "whsec_development",
    "STRIPE_API_BASE": "",
    "TOKEN_MAX_AGE": 24 * 3600,
    "RESET_TOKEN_MAX_AGE": 3600,
    # Retention purge (``flask --app eap purge-expired``): months after closing / last visit.
    "RETENTION_CLOSED_MONTHS": 12,
    "RETENTION_INACTIVE_MONTHS": 12,
    # Anonymous public pages are kept rendered this many seconds (0: off); eap/public/page_cache.
    "PAGE_CACHE_SECONDS": 60,
}

# What production must be told explicitly, and under which environment variable.
REQUIRED_IN_PRODUCTION = {
    "SECRET_KEY": "EAP_SECRET_KEY",
    "SQLALCHEMY_DATABASE_URI": "EAP_DATABASE_URL",
    "DATA_KEYS": "EAP_DATA_KEYS",
    "STRIPE_SECRET_KEY": "EAP_STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET": "EAP_STRIPE_WEBHOOK_SECRET",
}

# Environment variable → config key, for the settings whose names differ.
ENV_ALIASES = {
    "EAP_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "EAP_RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
}

# Known development placeholders: production refuses them as if they were missing.
PLACEHOLDERS = {"sk_test_development", "whsec_development", "dev", "changeme", "secret"}
MIN_SECRET_LENGTH = 32


class ConfigurationError(RuntimeError):
    """Raised at start-up when production settings are missing."""


def load(app: Flask, test_config: dict | None) -> None:
    """Fill ``app.config`` in order: defaults, environment, test dict; then check it."""
    app.config.update(DEFAULTS)
    app.config["ENV_NAME"] = os.environ.get("EAP_ENV", "development")
    app.config.from_prefixed_env("EAP", loads=_loads)
    for env_name, key in ENV_ALIASES.items():
        if env_name in os.environ:
            app.config[key] = os.environ[env_name]
    if test_config:
        app.config.update(test_config)

    if app.config["ENV_NAME"] == "production":
        _require_production_settings(app)
    else:
        _development_defaults(app)
    app.config["DATA_KEYS"] = _parse_keys(app.config["DATA_KEYS"])
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )


def _loads(value: str):
    """Environment values: numbers and booleans become Python values, the rest stays text."""
    lowered = value.strip().lower()
    if lowered in {"true", "false"}:
        return lowered == "true"
    try:
        return int(value)
    except ValueError:
        return value


def normalise_database_url(url: str) -> str:
    """Accept the usual ``postgres://`` forms and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _require_production_settings(app: Flask) -> None:
    missing = [
        env
        for key, env in REQUIRED_IN_PRODUCTION.items()
        if not app.config.get(key) or str(app.config.get(key)) in PLACEHOLDERS
    ]
    # A short secret key can be guessed offline from one signed cookie: treat it as missing.
    if "EAP_SECRET_KEY" not in missing and len(str(app.config["SECRET_KEY"])) < MIN_SECRET_LENGTH:
        missing.append("EAP_SECRET_KEY (at least 32 characters)")
    if missing:
        raise ConfigurationError(
            "Refusing to start in production without: " + ", ".join(sorted(missing))
        )
    app.config.setdefault("HSTS", True)


def _development_defaults(app: Flask) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key", 48)
    if not app.config.get("DATA_KEYS"):
        app.config["DATA_KEYS"] = "dev1:" + _instance_secret(instance / "data_key", 32, b64=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'eap.sqlite'}"


def _instance_secret(path: Path, size: int, b64: bool = False) -> str:
    """Read a secret kept in the instance folder, creating it (mode 600) on first use."""
    if not path.exists():
        raw = secrets.token_bytes(size)
        text = base64.urlsafe_b64encode(raw).decode() if b64 else secrets.token_urlsafe(size)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
    return path.read_text().strip()


def _parse_keys(value) -> list[tuple[str, bytes]]:
    """``EAP_DATA_KEYS`` = ``id:base64key,id:base64key`` — newest first."""
    if isinstance(value, list):
        return value
    keys = []
    for item in str(value).split(","):
        item = item.strip()
        if not item:
            continue
        key_id, sep, material = item.partition(":")
        if not sep or not key_id.isalnum():
            raise ConfigurationError("EAP_DATA_KEYS entries must look like 'id:base64key'")
        raw = base64.urlsafe_b64decode(material + "=" * (-len(material) % 4))
        if len(raw) != 32:
            raise ConfigurationError(f"data key {key_id!r} must be 32 bytes (base64-encoded)")
        keys.append((key_id, raw))
    if not keys:
        raise ConfigurationError("EAP_DATA_KEYS holds no key")
    return keys
