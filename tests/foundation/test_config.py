"""Production start-up refuses missing or placeholder secrets and names what is missing."""

import base64
import os

import pytest

from eap import create_app
from eap.config import ConfigurationError
from eap.settings import REQUIRED_IN_PRODUCTION

GOOD = {
    "EAP_SECRET_KEY": "a-long-random-production-secret-key-0123456789",
    "EAP_DATABASE_URL": "postgresql://eap@db.internal/eap",
    "EAP_DATA_KEYS": "k2:" + base64.urlsafe_b64encode(b"2" * 32).decode()
    + ",k1:" + base64.urlsafe_b64encode(b"1" * 32).decode(),
    "EAP_STRIPE_SECRET_KEY": "sk_live_example",
    "EAP_STRIPE_WEBHOOK_SECRET": "whsec_live_example",
    "EAP_MAIL_SERVER": "smtp.igus.example",
    "EAP_PUBLIC_BASE_URL": "https://eap.igus.example",
}


@pytest.fixture
def production(monkeypatch):
    """A clean production environment: no EAP_* variable but EAP_ENV."""
    for name in list(os.environ):
        if name.startswith("EAP_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("EAP_ENV", "production")
    return monkeypatch


def test_every_required_setting_is_named_when_missing(production):
    with pytest.raises(ConfigurationError) as refused:
        create_app()
    message = str(refused.value)
    for env_name in REQUIRED_IN_PRODUCTION.values():
        assert env_name in message
    assert set(REQUIRED_IN_PRODUCTION.values()) == set(GOOD)


@pytest.mark.parametrize("missing", sorted(GOOD))
def test_each_missing_setting_is_named(production, missing):
    for name, value in GOOD.items():
        if name != missing:
            production.setenv(name, value)
    with pytest.raises(ConfigurationError) as refused:
        create_app()
    assert missing in str(refused.value)
    others = set(GOOD) - {missing}
    assert not any(name in str(refused.value) for name in others)


@pytest.mark.parametrize(
    "name, placeholder",
    [
        ("EAP_SECRET_KEY", "changeme"),
        ("EAP_SECRET_KEY", "dev"),
        ("EAP_SECRET_KEY", "too-short-to-be-safe"),
        ("EAP_STRIPE_SECRET_KEY", "sk_test_development"),
        ("EAP_STRIPE_WEBHOOK_SECRET", "whsec_development"),
    ],
)
def test_placeholder_secrets_are_refused(production, name, placeholder):
    for env_name, value in GOOD.items():
        production.setenv(env_name, value)
    production.setenv(name, placeholder)
    with pytest.raises(ConfigurationError) as refused:
        create_app()
    assert name in str(refused.value)


def test_malformed_data_keys_are_refused(production):
    for env_name, value in GOOD.items():
        production.setenv(env_name, value)
    production.setenv("EAP_DATA_KEYS", "k1:" + base64.urlsafe_b64encode(b"short").decode())
    with pytest.raises(ConfigurationError, match="32 bytes"):
        create_app()
    production.setenv("EAP_DATA_KEYS", "no-separator")
    with pytest.raises(ConfigurationError, match="EAP_DATA_KEYS"):
        create_app()


def test_complete_production_settings_start(production):
    for env_name, value in GOOD.items():
        production.setenv(env_name, value)
    production.setenv("EAP_RATELIMIT_STORAGE_URI", "memory://")
    app = create_app()
    assert app.config["HSTS"] is True
    # Only the public address's host is served: a forged Host header gets 400 (issue 14).
    assert app.config["TRUSTED_HOSTS"] == ["eap.igus.example"]
    # postgres:// URLs get the psycopg 3 driver; keys are parsed newest first.
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert [key_id for key_id, _ in app.config["DATA_KEYS"]] == ["k2", "k1"]
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]


def test_development_generates_and_keeps_secrets_in_the_instance_folder(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("EAP_"):
            monkeypatch.delenv(name)
    from flask import Flask

    from eap import config

    first = Flask("eap", instance_path=str(tmp_path / "instance"))
    config.load(first, None)
    second = Flask("eap", instance_path=str(tmp_path / "instance"))
    config.load(second, None)
    assert len(first.config["SECRET_KEY"]) >= 48
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert first.config["DATA_KEYS"] == second.config["DATA_KEYS"]
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0
    assert first.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert not first.config.get("HSTS")


def test_the_readme_settings_table_is_generated_from_the_settings():
    """Every setting is documented where operators read, with its default (make readme-settings)."""
    from pathlib import Path

    from eap.settings import SETTINGS, markdown_table

    readme = Path(__file__).resolve().parents[2] / "docs" / "settings.md"
    text = readme.read_text()
    block = text.split("<!-- settings:start -->\n")[1].split("<!-- settings:end -->")[0]
    assert block == markdown_table(), "run `make readme-settings`"
    assert len({setting.env_name for setting in SETTINGS}) == len(SETTINGS)


def test_environment_values_keep_their_setting_type(monkeypatch, tmp_path):
    """An all-digit mail password stays text; numbers and switches are typed; a malformed number
    stops start-up with the variable's name."""
    from flask import Flask

    from eap import config

    for name in list(os.environ):
        if name.startswith("EAP_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("EAP_MAIL_PASSWORD", "0123456")
    monkeypatch.setenv("EAP_MAIL_PORT", "587")
    monkeypatch.setenv("EAP_MAIL_USE_TLS", "true")
    monkeypatch.setenv("EAP_LOG_LEVEL", "DEBUG")
    app = Flask("eap", instance_path=str(tmp_path / "instance"))
    config.load(app, None)
    assert app.config["MAIL_PASSWORD"] == "0123456"
    assert app.config["MAIL_PORT"] == 587 and app.config["MAIL_USE_TLS"] is True
    assert app.config["LOG_LEVEL"] == "DEBUG"
    monkeypatch.setenv("EAP_MAIL_PORT", "smtp")
    with pytest.raises(ConfigurationError, match="EAP_MAIL_PORT"):
        config.load(Flask("eap", instance_path=str(tmp_path / "instance")), None)


def test_no_setting_for_a_feature_that_does_not_exist():
    from eap.settings import DEFAULTS

    assert not [key for key in DEFAULTS if key.startswith("REMEMBER_COOKIE")]
