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


def test_template_underscore_behaves_like_jinja_newstyle_gettext(app):
    """``_`` is our one-call version of Jinja's new-style gettext: same escaping of the
    variables, same %-formatting, translated the same."""
    cases = [
        ("{{ _('Packages') }}", {}),
        ("{{ _('VAT 19 %%') }}", {}),
        ("{{ _('Hello, %(name)s', name=who) }}", {"who": "<b>Ana & Ben</b>"}),
    ]
    jinja_gettext = app.jinja_env.globals["gettext"]  # Jinja's own new-style wrapper
    for lang in ("de", "en"):
        with app.test_request_context("/", headers={"Accept-Language": lang}):
            for template, values in cases:
                ours = render_template_string(template, **values)
                theirs = render_template_string(template.replace("_(", "jinja_gettext("),
                                                jinja_gettext=jinja_gettext, **values)
                assert ours == theirs
            assert "&lt;b&gt;Ana &amp; Ben&lt;/b&gt;" in ours
            assert render_template_string("{{ _('VAT 19 %%') }}").endswith("19 %")


def test_lazy_texts_follow_the_request_language_and_forced_locale(app):
    from eap.i18n import lazy_gettext

    packages = lazy_gettext("Packages")
    greeting = lazy_gettext("Hello, %(name)s", name="Ana")
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        assert str(packages) == "Pakete" and "Ana" in str(greeting)
        with force_locale("en"):
            assert str(packages) == "Packages" and str(greeting) == "Hello, Ana"
        assert str(packages) == "Pakete"
    with app.app_context():  # outside a request (mails, commands): the default language
        assert str(packages) == "Pakete"
