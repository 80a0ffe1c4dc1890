"""Buying on a fresh machine: the emulator ``make run`` starts, and the "test payment" page
that exists only in development and only against that emulator."""

import os
import subprocess
import sys

import pytest

from eap.extensions import db
from tests.billing import stripe_env

pytestmark = pytest.mark.stripe

PRODUCTION = {
    "EAP_ENV": "production",
    "EAP_SECRET_KEY": "a-long-random-production-secret-key-0123456789",
    "EAP_DATA_KEYS": "p1:" + "A" * 43 + "=",
    "EAP_STRIPE_SECRET_KEY": "sk_live_example",
    "EAP_STRIPE_WEBHOOK_SECRET": "whsec_live_example",
    "EAP_MAIL_SERVER": "mail.internal",
    "EAP_PUBLIC_BASE_URL": "https://localhost",
    # Even pointed at a local emulator by mistake, production has no test payment page.
    "EAP_STRIPE_API_BASE": "http://127.0.0.1:12111",
}


def test_the_test_payment_page_does_not_exist_in_production(monkeypatch, _schema):
    for name, value in {**PRODUCTION, "EAP_DATABASE_URL": _schema}.items():
        monkeypatch.setenv(name, value)
    from eap import create_app

    app = create_app({"TESTING": True, "SERVER_NAME": "localhost"})
    assert not [r for r in app.url_map.iter_rules() if r.rule.startswith("/dev/")]
    client = app.test_client()
    assert client.get("/dev/test-payment/cs_test_0123456789abcdef").status_code == 404
    assert client.post("/dev/test-payment/cs_test_0123456789abcdef").status_code in (400, 404)
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("base", ["", "https://api.stripe.com", "http://10.0.0.5:12111"])
def test_in_development_only_against_a_local_emulator(app, client, base):
    app.config["STRIPE_API_BASE"] = base
    assert client.get("/dev/test-payment/cs_test_0123456789abcdef").status_code == 404


@pytest.fixture
def app_settings(stripe_api):
    return stripe_env.settings(stripe_api)


def test_the_page_shows_an_open_session_and_refuses_made_up_ones(client, stripe_api):
    price = stripe_api.add_price("plus", "month", 400)
    session = stripe_api.create_session({
        "success_url": "http://localhost/hr/contract/?checkout=done", "customer": "cus_x",
        "line_items[0][price]": price["id"], "line_items[0][quantity]": "3", "mode": "subscription",
    })
    page = client.get(f"/dev/test-payment/{session['id']}")
    assert page.status_code == 200 and "12,00" in page.get_data(as_text=True)
    assert client.get("/dev/test-payment/cs_test_ffffffffffffffff").status_code == 404
    assert client.get("/dev/test-payment/..%2Fv1%2Fcustomers").status_code == 404


def test_the_emulator_runner_syncs_the_catalogue_and_points_the_command_at_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EAP_")}
    env["EAP_DATABASE_URL"] = f"sqlite:///{tmp_path / 'dev.sqlite'}"
    flask = [sys.executable, "-m", "flask", "--app", "eap"]
    subprocess.run([*flask, "migrate"], env=env, check=True, capture_output=True, cwd=tmp_path)
    subprocess.run([*flask, "seed-demo"], env=env, check=True, capture_output=True, cwd=tmp_path)
    show = "import os; print('BASE', os.environ['EAP_STRIPE_API_BASE'])"
    result = subprocess.run(
        [sys.executable, "-m", "eap.billing.emulator", sys.executable, "-c", show],
        env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Local Stripe emulator: http://127.0.0.1:" in result.stdout
    assert "VAT 19 %: tax rate txr_" in result.stdout  # sync-stripe ran against it
    assert "month created" in result.stdout
    assert "BASE http://127.0.0.1:" in result.stdout


def test_the_emulator_runner_refuses_production():
    env = {**os.environ, "EAP_ENV": "production"}
    result = subprocess.run([sys.executable, "-m", "eap.billing.emulator", "true"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "development only" in result.stderr
