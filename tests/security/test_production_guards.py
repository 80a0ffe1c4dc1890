"""Operational guards of issue 14: a request size limit with a friendly 413 (item 6), no mail
body or recipient in the log outside development (item 7), ``seed-demo`` refused in production
(item 8)."""

from __future__ import annotations

import logging

import pytest

from eap.employers.models import HrUser
from eap.extensions import db
from tests.conftest import count, post_form


def test_a_large_body_gets_a_friendly_413_and_the_webhook_never_reads_it(client):
    big = b"x" * (1024 * 1024 + 1)
    answer = client.post("/stripe/webhook", data=big,
                         headers={"Stripe-Signature": "t=1,v1=00", "Content-Type":
                                  "application/json"})
    assert answer.status_code == 413
    form = client.post("/hr/login", data={"email": "a@b.example", "password": "x" * 2_000_000})
    assert form.status_code == 413
    page = form.get_data(as_text=True)
    assert "<html" in page and "Traceback" not in page
    assert "zu groß" in page  # German by default, in the portal's layout


def test_an_ordinary_form_still_fits(client):
    assert post_form(client, "/hr/forgot-password", {"email": "a@b.example"}).status_code == 302


@pytest.fixture
def app_settings():
    # A mode that is neither development nor production, with no mail server (e.g. staging).
    return {"ENV_NAME": "staging", "MAIL_SERVER": ""}


def test_outside_development_no_mail_body_or_recipient_reaches_the_log(
        app, client, make_hr_user, caplog):
    user = make_hr_user(email="secret.person@firma.example")
    with caplog.at_level(logging.DEBUG):
        assert post_form(client, "/hr/forgot-password", {"email": user.email}).status_code == 302
    text = caplog.text
    assert "secret.person" not in text
    assert "reset-password" not in text and "/hr/" not in text


def test_development_still_prints_mails_for_the_developer(app, client, make_hr_user, caplog):
    app.config["ENV_NAME"] = "development"
    user = make_hr_user(email="dev.person@firma.example")
    with caplog.at_level(logging.INFO):
        post_form(client, "/hr/forgot-password", {"email": user.email})
    assert "dev.person@firma.example" in caplog.text and "reset-password" in caplog.text


def test_seed_demo_is_refused_in_production(app):
    app.config["ENV_NAME"] = "production"
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "production" in result.output
    with app.app_context():
        assert count(HrUser) == 0
    assert db  # the database was left alone
