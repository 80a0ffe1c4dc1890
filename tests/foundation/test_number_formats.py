"""The fast number formatting of long tables writes exactly what Babel writes."""

import random

import pytest
from babel import numbers as babel_numbers
from flask import session

from eap import i18n

random.seed(7)
CENTS = [0, 1, 5, 99, 100, 12_345, 99_999_999, 123_456_789_012]
CENTS += [random.randint(0, 10**9) for _ in range(300)]
VALUES = [0.0, 0.05, 0.15, 0.25, 0.35, 1.25, 2.5, 1234.55, 99999.95, -0.04, -1.25]
VALUES += [random.uniform(0, 5000) for _ in range(300)]
VALUES += [round(random.uniform(0, 500), 2) for _ in range(300)]


@pytest.mark.parametrize("language", ["de", "en", "tr", "ar", "ru", "uk"])
def test_euros_and_one_decimal_match_babel(app, language):
    with app.test_request_context("/help/"):
        session["lang"] = language
        locale, _zone = i18n._request_locale_and_zone()
        for cents in CENTS:
            assert i18n.format_euro_cents(cents) == babel_numbers.format_currency(
                cents / 100, "EUR", locale=locale), cents
        for value in VALUES:
            assert i18n.format_one_decimal(value) == babel_numbers.format_decimal(
                value, format="#,##0.0", locale=locale), value


def test_german_and_english_amounts(app):
    with app.test_request_context("/"):
        assert i18n.format_euro_cents(123_456) == "1.234,56\xa0€"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert i18n.format_euro_cents(123_456) == "€1,234.56"
        assert i18n.format_one_decimal(0.35) == "0.4"  # half-even on the decimal value, as Babel
