"""The public pages are served from a short-lived cache, never with anything personal in them."""

from eap.extensions import db
from eap.packages.models import ServicePackage
from tests.conftest import CSRF_RE, login_hr


def _token(response) -> str:
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match
    return match.group(1)


def _cache(app) -> dict:
    return app.extensions.get("eap_page_cache", {})


def test_each_visitor_gets_an_own_working_csrf_token_from_the_cached_page(app):
    first, second = app.test_client(), app.test_client()
    page_one, page_two = first.get("/"), second.get("/")
    assert ("/", "de") in _cache(app)
    assert _token(page_one) != _token(page_two)
    assert "csrfplaceholder" not in page_two.get_data(as_text=True)
    # The token from the cached page is the visitor's real one: the language switch accepts it.
    answer = second.post("/language", data={"csrf_token": _token(page_two), "lang": "en",
                                             "next": "/"})
    assert answer.status_code in (302, 303)
    assert '<html lang="en"' in second.get("/").get_data(as_text=True)
    # … while a made-up token is refused as before.
    refused = first.post("/language", data={"csrf_token": "forged", "lang": "en", "next": "/"})
    assert refused.status_code == 400


def test_cached_per_language(app):
    german, english = app.test_client(), app.test_client()
    with english.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    assert 'lang="de"' in german.get("/faq").get_data(as_text=True)
    assert 'lang="en"' in english.get("/faq").get_data(as_text=True)
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
    cached_page = _cache(app)[("/", "de")][1]

    user = make_hr_user(email="cache@example.org")
    signed_in = app.test_client()
    login_hr(signed_in, user)
    page = signed_in.get("/").get_data(as_text=True)
    # The signed-in header is rendered for this visitor, not taken from the cache …
    assert 'href="/hr/"' in page
    # … and the cached page for everybody else stays anonymous.
    assert 'href="/hr/"' not in cached_page
    assert _cache(app)[("/", "de")][1] == cached_page

    with anonymous.session_transaction() as browser_session:
        browser_session["_flashes"] = [("info", "Nur für diesen Besuch")]
    assert "Nur für diesen Besuch" in anonymous.get("/").get_data(as_text=True)
    assert "Nur für diesen Besuch" not in app.test_client().get("/").get_data(as_text=True)


def test_query_strings_are_never_cached(app, client):
    client.get("/faq?x=1")
    assert ("/faq", "de") not in _cache(app)


def test_cache_can_be_switched_off(app, client):
    app.config["PAGE_CACHE_SECONDS"] = 0
    client.get("/")
    assert not _cache(app)

