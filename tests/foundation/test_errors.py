"""Friendly error pages in German and English; a crash never shows a traceback."""

import pytest
from flask import abort

from eap.errors import MESSAGES


class Boom(RuntimeError):
    pass


@pytest.fixture
def app(app):
    """The test app plus routes that fail on purpose (registered on this app only)."""

    @app.get("/_test/abort/<int:code>")
    def test_abort(code):
        abort(code)

    @app.get("/_test/crash")
    def test_crash():
        raise Boom("secret detail /home/eap/app.py line 42")

    return app


EXPECTED = {
    400: ("Ungültige Anfrage", "Bad request"),
    403: ("Zugriff verweigert", "Access denied"),
    404: ("Seite nicht gefunden", "Page not found"),
    405: ("Nicht erlaubt", "Not allowed"),
    413: ("Zu viele Daten", "Too much data"),
    429: ("Zu viele Versuche", "Too many attempts"),
    500: ("Etwas ist schiefgegangen", "Something went wrong"),
}


def test_every_error_page_is_covered():
    assert set(EXPECTED) == set(MESSAGES)


@pytest.mark.parametrize("code", [400, 403, 404, 429])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_error_pages_in_the_visitors_language(client, code, lang):
    with client.session_transaction() as browser_session:
        browser_session["lang"] = lang
    response = client.get(f"/_test/abort/{code}")
    assert response.status_code == code
    page = response.get_data(as_text=True)
    assert EXPECTED[code][0 if lang == "de" else 1] in page
    assert f'<html lang="{lang}"' in page
    assert "112" in page  # the emergency numbers are on error pages too


@pytest.mark.parametrize("lang", ["de", "en"])
def test_404_for_unknown_page(client, lang):
    response = client.get("/no/such/page", headers={"Accept-Language": lang})
    assert response.status_code == 404
    assert EXPECTED[404][0 if lang == "de" else 1] in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_405_keeps_the_allow_header(client, lang):
    response = client.put("/privacy", headers={"Accept-Language": lang})
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert EXPECTED[405][0 if lang == "de" else 1] in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_crash_gives_the_friendly_500_page_without_a_traceback(client, lang, caplog):
    response = client.get("/_test/crash", headers={"Accept-Language": lang})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert EXPECTED[500][0 if lang == "de" else 1] in page
    for leak in ("Traceback", "Boom", "secret detail", "app.py", 'File "'):
        assert leak not in page
    # The operator still learns about it, in the log.
    assert any(record.exc_info for record in caplog.records)


def test_other_4xx_and_5xx_codes_keep_their_status(client):
    assert client.get("/_test/abort/413").status_code == 413
    assert client.get("/_test/abort/503").status_code == 503
    page = client.get("/_test/abort/503").get_data(as_text=True)
    assert EXPECTED[500][0] in page
