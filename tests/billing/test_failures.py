"""The one mapping from a failed billing action to what the HR user is told (billing/failures)."""

import pytest
from sqlalchemy.orm.exc import StaleDataError

from eap.billing import changes, failures, services
from eap.billing.gateway import CatalogueIncomplete, GatewayError


@pytest.fixture
def english_request(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def test_every_expected_failure_has_its_message(english_request):
    refused = services.BillingError("There is no running contract to change.")
    assert failures.message_for(refused) == "There is no running contract to change."
    assert failures.message_for(StaleDataError()) == str(changes.CHANGED)
    assert failures.message_for(GatewayError("x")) == str(failures.UNREACHABLE)
    saved = failures.UNREACHABLE_ORDER_SAVED
    assert failures.message_for(GatewayError("x"), unreachable=saved) == str(saved)


def test_an_incomplete_catalogue_is_named_only_where_the_view_asks(english_request):
    missing = CatalogueIncomplete("price.missing")
    assert failures.message_for(missing) == str(failures.UNREACHABLE)
    incomplete = failures.CATALOGUE_INCOMPLETE
    assert failures.message_for(missing, incomplete=incomplete) == str(incomplete)


def test_anything_else_is_not_caught(app, english_request):
    with pytest.raises(KeyError), failures.redirect_on_failure("/hr/contract/"):
        raise KeyError("a bug, not a failure to explain")
