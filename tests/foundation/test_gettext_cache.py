"""Translations follow the request's language and ``force_locale``, in templates and lazy texts."""

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
    for lang in ("de", "en"):
        with app.test_request_context("/", headers={"Accept-Language": lang}):
            for style in ("short", "medium"):
                rendered = render_template_string(
                    "{{ value|datetimeformat(style) }}", value=moment, style=style
                )
                assert rendered == format_datetime(moment, style)
        assert "18:05" in rendered or "6:05" in rendered  # shown in Berlin time


def test_a_percent_sign_in_a_template_text_is_shown_once(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string("{{ _('VAT 19 %%') }}").endswith("19 %")


def test_lazy_texts_follow_the_request_language_and_forced_locale(app):
    from flask_babel import lazy_gettext

    packages = lazy_gettext("Packages")
    greeting = lazy_gettext("Hello, %(name)s", name="Ana")
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        assert str(packages) == "Pakete" and "Ana" in str(greeting)
        with force_locale("en"):
            assert str(packages) == "Packages" and str(greeting) == "Hello, Ana"
        assert str(packages) == "Pakete"
    with app.app_context():  # outside a request (mails, commands): the default language
        assert str(packages) == "Pakete"
