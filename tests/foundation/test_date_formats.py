"""The fast date formatting of table rows writes exactly what Babel writes, in every language."""

from datetime import UTC, datetime, timedelta

import pytest
from babel import dates as babel_dates
from flask import session

from eap import i18n

# Across both daylight-saving changes of Europe/Berlin and a change of year.
MOMENTS = [datetime(2026, 3, 28, 23, 59, tzinfo=UTC) + timedelta(hours=k * 7) for k in range(40)]
MOMENTS += [datetime(2026, 10, 24, 22, 30, tzinfo=UTC) + timedelta(hours=k * 5) for k in range(40)]
MOMENTS += [datetime(2026, 12, 31, 22, 59, 59, tzinfo=UTC)]


@pytest.mark.parametrize("language", ["de", "en", "tr", "ar", "ru", "uk"])
def test_named_formats_match_babel(app, language):
    with app.test_request_context("/help/"):
        session["lang"] = language
        locale, zone = i18n._request_locale_and_zone()
        assert str(locale) == language
        for format in i18n.NAMED_FORMATS:
            for moment in MOMENTS:
                expected = babel_dates.format_datetime(moment, format, tzinfo=zone, locale=locale)
                assert i18n.format_datetime(moment, format) == expected
                # SQLite hands back naive values: they are UTC.
                assert i18n.format_datetime(moment.replace(tzinfo=None), format) == expected


def test_custom_pattern_and_empty_value(app):
    with app.test_request_context("/"):
        assert i18n.format_datetime(datetime(2026, 11, 27, 9, 5, tzinfo=UTC), "yyyy-MM-dd HH:mm") \
            == "2026-11-27 10:05"
        assert i18n.format_datetime(None) == ""
