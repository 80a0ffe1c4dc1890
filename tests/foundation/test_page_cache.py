"""The public pages are served from a short-lived cache, never with anything personal in them."""

from flask import render_template_string

from eap.extensions import db
from eap.packages.models import ServicePackage
from eap.public.page_cache import cached_page
from tests.conftest import login_hr


def _cache(app) -> dict:
    return app.extensions.get("eap_page_cache", {})


def test_a_reader_of_the_public_pages_gets_no_cookie(app):
    reader = app.test_client()
    for path in ("/", "/packages", "/faq", "/privacy", "/cookies"):
        first, second = reader.get(path), reader.get(path)  # rendered, then from the cache
        assert first.status_code == second.status_code == 200
        assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers, path
        assert first.get_data() == second.get_data()
    assert ("/", "de") in _cache(app)


def test_cached_per_language(app):
    german, english = app.test_client(), app.test_client()
    english.get("/language/en?next=/faq")
    assert 'lang="de"' in german.get("/faq").get_data(as_text=True)
    assert '<html lang="en"' in english.get("/faq").get_data(as_text=True)
    assert {("/faq", "de"), ("/faq", "en")} <= set(_cache(app))


def test_a_changed_package_shows_at_once(app, client, make_package):
    package = make_package(name_de="Paket Sonne")
    assert "Paket Sonne" in client.get("/packages").get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(ServicePackage, package.id)
        stored.name_de = "Paket Mond"
        db.session.commit()
    page = client.get("/packages").get_data(as_text=True)
    assert "Paket Mond" in page and "Paket Sonne" not in page


def test_signed_in_visitors_and_flashed_messages_bypass_the_cache(app, make_hr_user):
    anonymous = app.test_client()
    anonymous.get("/")
    cached = _cache(app)[("/", "de")][1]

    user = make_hr_user(email="cache@example.org")
    signed_in = app.test_client()
    login_hr(signed_in, user)
    page = signed_in.get("/").get_data(as_text=True)
    # The signed-in header is rendered for this visitor, not taken from the cache …
    assert 'href="/hr/"' in page
    # … and the cached page for everybody else stays anonymous.
    assert 'href="/hr/"' not in cached and _cache(app)[("/", "de")][1] == cached

    with anonymous.session_transaction() as browser_session:
        browser_session["_flashes"] = [("info", "Nur für diesen Besuch")]
    assert "Nur für diesen Besuch" in anonymous.get("/").get_data(as_text=True)
    assert "Nur für diesen Besuch" not in app.test_client().get("/").get_data(as_text=True)


def test_a_page_with_a_form_is_never_cached(app):
    """A form's CSRF token belongs to one visitor: such a page is rendered for each."""

    @cached_page
    def page_with_form():
        return render_template_string('<form><input name="csrf_token" value="{{ csrf_token() }}">'
                                      "</form>")

    app.add_url_rule("/test-form-page", "test_form_page", page_with_form)
    first, second = app.test_client(), app.test_client()
    one = first.get("/test-form-page").get_data(as_text=True)
    two = second.get("/test-form-page").get_data(as_text=True)
    assert one != two  # each visitor's own token
    assert ("/test-form-page", "de") not in _cache(app)


def test_query_strings_are_never_cached(app, client):
    client.get("/faq?x=1")
    assert ("/faq", "de") not in _cache(app)


def test_cache_can_be_switched_off(app, client):
    app.config["PAGE_CACHE_SECONDS"] = 0
    client.get("/")
    assert not _cache(app)


def test_a_signed_in_requester_never_fills_the_cache(app):
    """A page rendered within a requester's session is never kept for other visitors."""
    from eap.requests.session import KEY

    requester = app.test_client()
    with requester.session_transaction() as browser_session:
        browser_session[KEY] = {"id": "someone", "at": 0, "seen": 0}
    assert requester.get("/").status_code == 200
    assert ("/", "de") not in _cache(app)
    app.test_client().get("/")  # an anonymous reader fills it
    cached = _cache(app)[("/", "de")]
    assert requester.get("/").status_code == 200
    assert _cache(app)[("/", "de")] is cached
