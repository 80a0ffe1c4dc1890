"""Templates look translations up once per request and locale; force_locale still works."""

from flask import render_template_string
from flask_babel import force_locale


def test_forced_locale_inside_a_request_is_respected(app):
    template = "{{ _('Packages') }}"
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        assert render_template_string(template) == "Pakete"
        with force_locale("en"):
            assert render_template_string(template) == "Packages"
        assert render_template_string(template) == "Pakete"


def test_datetime_filter_matches_flask_babel(app):
    from datetime import UTC, datetime

    from flask_babel import format_datetime

    moment = datetime(2026, 11, 24, 17, 5, tzinfo=UTC)
    naive = moment.replace(tzinfo=None)  # SQLite hands back naive UTC values
    for lang in ("de", "en"):
        with app.test_request_context("/", headers={"Accept-Language": lang}):
            for value in (moment, naive):
                for style in ("short", "medium"):
                    rendered = render_template_string(
                        "{{ value|datetimeformat(style) }}", value=value, style=style
                    )
                    assert rendered == format_datetime(value, style)
        assert "18:05" in rendered or "6:05" in rendered  # shown in Berlin time
