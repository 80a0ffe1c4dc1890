"""``cached_fragment`` renders a part once per language for every visitor: it refuses a part that
reaches for the visitor's own things (the user, the form token, the session)."""

import pytest
from jinja2 import ChoiceLoader, DictLoader

from eap.template_globals import FragmentNotCacheable, cached_fragment
from tests.conftest import login_hr

PERSONAL_FOOTERS = {
    "user": "<footer>{{ current_user.email }}</footer>",
    "user, in a condition": "<footer>{% if current_user.is_authenticated %}in{% endif %}</footer>",
    "form token": '<footer><input name="csrf_token" value="{{ csrf_token() }}"></footer>',
    "session": "<footer>{{ session.get('_user_id') }}</footer>",
}


def _footer(app, source: str) -> None:
    """Every page's footer (base.html: ``cached_fragment("_footer.html")``) becomes ``source``."""
    app.jinja_env.loader = ChoiceLoader([DictLoader({"_footer.html": source}),
                                         app.jinja_env.loader])


def _fragments(app) -> dict:
    return app.extensions.get("eap_fragments", {})


def test_the_footer_is_rendered_once_per_language(app, client):
    client.get("/faq")
    assert ("_footer.html", "de") in _fragments(app)


@pytest.mark.parametrize("source", PERSONAL_FOOTERS.values(), ids=PERSONAL_FOOTERS.keys())
def test_a_fragment_that_uses_the_visitor_is_refused(app, make_hr_user, source):
    _footer(app, source)
    user = make_hr_user()
    with app.test_request_context("/hr/"):
        from flask_login import login_user

        login_user(user)
        with pytest.raises(FragmentNotCacheable):
            cached_fragment("_footer.html")
    assert not _fragments(app)


def test_in_production_a_personal_fragment_is_served_to_its_visitor_alone(app, make_hr_user):
    """Without the refusal, the second visitor would get the first one's address."""
    app.testing = False  # production: log, render for this visitor, keep nothing
    _footer(app, PERSONAL_FOOTERS["user"])
    first, second = make_hr_user(), make_hr_user()
    pages = {}
    for user in (first, second):
        browser = app.test_client()
        login_hr(browser, user)
        response = browser.get("/hr/")
        assert response.status_code == 200
        pages[user.email] = response.get_data(as_text=True)
    assert f"<footer>{first.email}</footer>" in pages[first.email]
    assert f"<footer>{second.email}</footer>" in pages[second.email]
    assert first.email not in pages[second.email]
    assert not _fragments(app)
