"""The login rate limit on Redis, as in production: it works, and its keys hold no personal data.

Runs when ``EAP_TEST_REDIS_URL`` is set (CI sets ``redis://127.0.0.1:6379/15``); the database
named there is emptied before and after. Under ``CI=true`` a missing Redis is a failure.
"""

import os

import pytest

from tests.conftest import post_form

REDIS_URL = os.environ.get("EAP_TEST_REDIS_URL", "")
CLIENT_ADDRESS = "203.0.113.77"  # TEST-NET-3: must never appear in the limiter's storage
VICTIM = "victim.person@target-company.example"


def _redis():
    if not REDIS_URL:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but EAP_TEST_REDIS_URL is not set")
        pytest.skip("EAP_TEST_REDIS_URL is not set")
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"Redis at {REDIS_URL} does not answer: {error}")
    return connection


@pytest.fixture
def redis_db():
    connection = _redis()
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture
def app_settings():
    return {"RATELIMIT_STORAGE_URI": REDIS_URL or "memory://"}


@pytest.mark.parametrize("url", ["/hr/login", "/staff/login"])
def test_login_rate_limit_on_redis_stores_no_address(redis_db, app, url):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = CLIENT_ADDRESS
    client.environ_base["HTTP_X_FORWARDED_FOR"] = CLIENT_ADDRESS
    for _ in range(5):
        answer = post_form(client, url, {"email": VICTIM, "password": "guess-guess"})
        assert answer.status_code == 200
    # the account name's failures are counted in Redis: a new browser is now asked for more
    # work (issue 26; tests/security/test_sign_in_pressure.py), never refused
    newcomer = app.test_client()
    newcomer.environ_base["REMOTE_ADDR"] = CLIENT_ADDRESS
    page = newcomer.get(url).get_data(as_text=True)
    assert 'maxnumber' in page
    answer = post_form(newcomer, url, {"email": VICTIM, "password": "guess-guess"})
    assert str(app.config["POW_MAX_NUMBER"] * 2 ** app.config["POW_LOGIN_PRESSURE_DOUBLINGS"]) \
        in answer.get_data(as_text=True)

    keys = [key.decode() for key in redis_db.keys("*")]
    assert keys, "the limiter wrote nothing to Redis: is it really the storage?"
    stored = (
        " ".join(keys)
        + " "
        + " ".join(str(redis_db.get(key)) for key in keys if redis_db.type(key) == b"string")
    )
    for secret in (CLIENT_ADDRESS, "127.0.0.1", VICTIM, "victim.person", "target-company", "@"):
        assert secret not in stored, f"{secret!r} in the rate-limit keys: {keys}"


def test_another_account_is_not_blocked_by_the_limit(redis_db, app):
    client = app.test_client()
    for _ in range(6):
        post_form(client, "/hr/login", {"email": VICTIM, "password": "guess-guess"})
    other = post_form(client, "/hr/login", {"email": "other@example.org", "password": "x-x-x-x"})
    assert other.status_code == 200
