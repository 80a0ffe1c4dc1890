import pytest

from tests.billing import stripe_env


@pytest.fixture(scope="session")
def _stripe_servers():
    process, port = stripe_env.start_localstripe()
    stand_in = stripe_env.StandIn(port)
    yield stand_in
    stand_in.stop()
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_api(_stripe_servers):
    """The stand-in (in front of a wiped localstripe), empty for this test."""
    _stripe_servers.reset()
    yield _stripe_servers
    _stripe_servers.reset()


@pytest.fixture
def app_settings():
    # A closed local port: a webhook test that would reach Stripe fails fast, never leaves.
    return {"STRIPE_WEBHOOK_SECRET": stripe_env.WEBHOOK_SECRET,
            "STRIPE_API_BASE": stripe_env.NOWHERE}
