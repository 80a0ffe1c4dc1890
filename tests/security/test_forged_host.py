"""The forged Host header (issue 14, item 1): every link in every mail comes from
``PUBLIC_BASE_URL``, whatever Host the request named; production refuses a foreign Host (400)."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from eap.extensions import db
from tests.conftest import login_hr, post_form
from tests.employers.test_signup import FORM

PUBLIC = "https://portal.example"
FOREIGN = {"Host": "attacker.example"}
LINK_RE = re.compile(r"https?://[^\s/]+")


@pytest.fixture
def app_settings(mailbox):
    # No SERVER_NAME, as in production: Flask builds external URLs from the request's Host.
    return {**mailbox.settings, "PUBLIC_BASE_URL": PUBLIC, "SERVER_NAME": None}


def _links(body: str) -> set[str]:
    return set(LINK_RE.findall(body))


class ForeignHostClient(FlaskClient):
    """A browser whose every request names the attacker's host (its cookies live there too)."""

    def open(self, *args, **kwargs):
        kwargs["headers"] = {**dict(kwargs.get("headers") or {}), **FOREIGN}
        return super().open(*args, **kwargs)


@pytest.fixture
def foreign(app):
    app.test_client_class = ForeignHostClient
    return app.test_client()


def test_password_reset_mail_names_only_the_public_address(app, foreign, make_hr_user, mailbox):
    user = make_hr_user(email="victim@firma.example")
    response = post_form(foreign, "/hr/forgot-password", {"email": user.email})
    assert response.status_code == 302
    assert _links(mailbox.body(user.email)) == {PUBLIC}


def test_sign_up_verification_mail_names_only_the_public_address(app, foreign, mailbox):
    response = post_form(foreign, "/hr/signup", FORM)
    assert response.status_code == 303
    assert _links(mailbox.body("erika@muster.example")) == {PUBLIC}


def test_resent_verification_mail_names_only_the_public_address(app, foreign, make_hr_user,
                                                                mailbox):
    user = make_hr_user(email="new@firma.example", verified=False)
    login_hr(foreign, user)
    response = post_form(foreign, "/hr/verify/resend", from_url="/hr/")
    assert response.status_code == 302
    assert _links(mailbox.body(user.email)) == {PUBLIC}


def test_invitation_mail_names_only_the_public_address(app, foreign, make_hr_user, mailbox):
    owner = make_hr_user(role="owner")
    login_hr(foreign, owner)
    response = post_form(
        foreign, "/hr/team/", {"email": "colleague@firma.example", "role": "manager"})
    assert response.status_code == 303
    assert _links(mailbox.body("colleague@firma.example")) == {PUBLIC}


# -- production: a foreign Host is refused outright ------------------------------------------


@pytest.fixture
def production_app(monkeypatch, _schema):
    for name, value in {
        "EAP_ENV": "production",
        "EAP_SECRET_KEY": "a-long-random-production-secret-key-0123456789",
        "EAP_DATABASE_URL": _schema,
        "EAP_DATA_KEYS": "p1:" + "A" * 43 + "=",
        "EAP_STRIPE_SECRET_KEY": "sk_live_example",
        "EAP_STRIPE_WEBHOOK_SECRET": "whsec_live_example",
        "EAP_MAIL_SERVER": "127.0.0.1",
        "EAP_PUBLIC_BASE_URL": PUBLIC,
    }.items():
        monkeypatch.setenv(name, value)
    from eap import create_app

    app = create_app({"TESTING": True})
    yield app
    with app.app_context():
        db.engine.dispose()


def test_production_refuses_a_foreign_host(production_app):
    client = production_app.test_client()
    assert client.get("/", headers=FOREIGN).status_code == 400
    assert client.post("/hr/forgot-password", headers=FOREIGN,
                       data={"email": "x@y.example"}).status_code == 400
    assert client.get("/", headers={"Host": "portal.example"}).status_code == 200
