"""Loading the settings: safe defaults, then ``EAP_*`` environment variables, then the test dict.

The settings themselves (keys, types, defaults, meanings) are the table in eap/settings.py.

In production (``EAP_ENV=production``) start-up refuses to run without the secrets; in
development the secret key and a data-encryption key are generated once into ``instance/``.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from eap.settings import DEFAULTS, REQUIRED_IN_PRODUCTION, SETTINGS, Setting

# Known development placeholders: production refuses them as if they were missing.
PLACEHOLDERS = {"sk_test_development", "whsec_development", "dev", "changeme", "secret",
                DEFAULTS["PUBLIC_BASE_URL"]}
MIN_SECRET_LENGTH = 32


class ConfigurationError(RuntimeError):
    """Raised at start-up when production settings are missing."""


def load(app: Flask, test_config: dict | None) -> None:
    """Fill ``app.config`` in order: defaults, environment, test dict; then check it."""
    app.config.update(DEFAULTS)
    for setting in SETTINGS:
        if setting.env_name in os.environ:
            app.config[setting.key] = parse(setting, os.environ[setting.env_name])
    if test_config:
        app.config.update(test_config)

    if app.config["ENV_NAME"] == "production":
        _require_production_settings(app)
    else:
        _development_defaults(app)
    if isinstance(app.config["TRUSTED_HOSTS"], str):  # Flask wants a list, or None for any
        app.config["TRUSTED_HOSTS"] = app.config["TRUSTED_HOSTS"].replace(",", " ").split() or None
    app.config["DATA_KEYS"] = _parse_keys(app.config["DATA_KEYS"])
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )


def parse(setting: Setting, value: str):
    """An environment value as its setting's type; a malformed number or flag stops start-up."""
    if setting.kind is bool:
        lowered = value.strip().lower()
        if lowered not in {"true", "false", "1", "0", "yes", "no"}:
            raise ConfigurationError(f"{setting.env_name} must be true or false, not {value!r}")
        return lowered in {"true", "1", "yes"}
    if setting.kind in (int, float):
        try:
            return setting.kind(value)
        except ValueError:
            raise ConfigurationError(
                f"{setting.env_name} must be a whole number, not {value!r}") from None
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
    app.config["HSTS"] = True
    # A request naming another host is refused (400): no link can be built from a forged Host.
    if not app.config["TRUSTED_HOSTS"]:
        app.config["TRUSTED_HOSTS"] = [urlsplit(app.config["PUBLIC_BASE_URL"]).hostname]


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

