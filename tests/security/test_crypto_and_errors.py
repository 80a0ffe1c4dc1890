"""Encryption at rest, production start-up and the friendly 500 page.

Webhook attacks (bad signature, old or future timestamp, duplicates, reordering, "500 then
retry") are covered in tests/billing/test_webhooks.py and not repeated here.
"""

from __future__ import annotations

import base64

import pytest
import sqlalchemy as sa

from eap.config import ConfigurationError
from eap.extensions import db
from eap.security import crypto, rotation
from tests.conftest import TEST_DATA_KEY, login_hr, login_staff
from tests.security.conftest import send_request, sign_up

KEYS = [("k1", b"1" * 32), ("k0", b"0" * 32)]


def test_ciphertexts_carry_the_key_id_and_are_random():
    first, second = crypto.encrypt("Hallo", KEYS), crypto.encrypt("Hallo", KEYS)
    assert first.startswith("k1$") and second.startswith("k1$")
    assert first != second  # a fresh nonce each time: equal texts are not recognisable
    assert "Hallo" not in first
    assert crypto.decrypt(first, KEYS) == "Hallo"


def test_flipping_any_byte_makes_decryption_fail():
    token = crypto.encrypt("Vertraulicher Inhalt", KEYS)
    key_id, _, body = token.partition("$")
    raw = base64.urlsafe_b64decode(body)
    for position in range(len(raw)):
        tampered = bytearray(raw)
        tampered[position] ^= 0x01
        forged = key_id + "$" + base64.urlsafe_b64encode(bytes(tampered)).decode()
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(forged, KEYS)


@pytest.mark.parametrize("forge", [
    lambda t: t[:-4],  # truncated
    lambda t: "k0" + t[2:],  # relabelled to another configured key (the id is authenticated)
    lambda t: "zz" + t[2:],  # an unknown key id
    lambda t: t.replace("$", ""),  # no key id at all
    lambda t: t.split("$")[1],  # bare ciphertext
    lambda t: "k1$" + "A" * 40,  # garbage
])
def test_forged_ciphertexts_fail_closed(forge):
    token = crypto.encrypt("Vertraulicher Inhalt", KEYS)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(forge(token), KEYS)


def test_every_encrypted_column_in_the_database_carries_the_key_id(app, working_code,
                                                                    make_staff):
    client = app.test_client()
    _org, code = working_code()
    sign_up(client, code)
    send_request(client, contact="phone", callback_number="+49 271 1234567",
                 callback_window="abends")
    columns = 0
    with app.app_context(), db.engine.connect() as connection:
        for table, encrypted in rotation.encrypted_columns():
            for column in encrypted:
                columns += 1
                for (value,) in connection.execute(
                    sa.select(sa.type_coerce(column, sa.Text)).where(column.isnot(None))
                ):
                    assert value.startswith(TEST_DATA_KEY.split(":")[0] + "$"), (
                        table.name, column.name)
    assert columns >= 5


@pytest.fixture
def production(monkeypatch, _schema):
    good = {
        "EAP_ENV": "production",
        "EAP_SECRET_KEY": "a-long-random-production-secret-key-0123456789",
        "EAP_DATABASE_URL": _schema,
        "EAP_DATA_KEYS": "p1:" + base64.urlsafe_b64encode(b"p" * 32).decode(),
        "EAP_STRIPE_SECRET_KEY": "sk_live_example",
        "EAP_STRIPE_WEBHOOK_SECRET": "whsec_live_example",
        "EAP_MAIL_SERVER": "127.0.0.1",
        "EAP_PUBLIC_BASE_URL": "https://localhost",
    }
    for name, value in good.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


@pytest.mark.parametrize("name, value", [
    ("EAP_SECRET_KEY", ""), ("EAP_SECRET_KEY", "dev"), ("EAP_SECRET_KEY", "changeme"),
    ("EAP_SECRET_KEY", "short-secret"),
    ("EAP_DATA_KEYS", ""), ("EAP_DATA_KEYS", "dev1:c2hvcnQ="),
    ("EAP_STRIPE_SECRET_KEY", "sk_test_development"),
    ("EAP_STRIPE_WEBHOOK_SECRET", "whsec_development"),
])
def test_production_refuses_default_or_weak_secrets(production, name, value):
    from eap import create_app

    production.setenv(name, value)
    with pytest.raises(ConfigurationError):
        create_app()


def test_production_does_not_fall_back_to_the_instance_secrets(production, tmp_path):
    """The development fallback (secrets generated into instance/) never applies in production."""
    from eap import create_app

    production.delenv("EAP_SECRET_KEY")
    production.delenv("EAP_DATA_KEYS")
    with pytest.raises(ConfigurationError) as error:
        create_app()
    assert "EAP_SECRET_KEY" in str(error.value) and "EAP_DATA_KEYS" in str(error.value)


SECRET_DETAIL = "internal detail 8f3a: database password hunter2"


@pytest.mark.parametrize("who", ["requester", "hr", "staff"])
def test_forced_exception_gives_the_friendly_500(app, who, monkeypatch, working_code,
                                                  make_hr_user, make_staff, caplog):
    def explode(*args, **kwargs):
        raise RuntimeError(SECRET_DETAIL)

    client = app.test_client()
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    if who == "requester":
        _org, code = working_code()
        sign_up(client, code)
        monkeypatch.setattr("eap.requests.cases.requests_of", explode)
        url = "/help/requests/"
    elif who == "hr":
        login_hr(client, make_hr_user())
        monkeypatch.setattr("eap.employers.auth_views.render_template", explode)
        url = "/hr/"
    else:
        login_staff(client, make_staff(role="triage"))
        monkeypatch.setattr("eap.staff.auth_views.render_template", explode)
        url = "/staff/"
    response = client.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page
    for leak in (SECRET_DETAIL, "hunter2", "Traceback", "RuntimeError", "File \""):
        assert leak not in page
    assert response.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
