"""Issue 16: "Deutsch – einfach", the requester pages in plain German (eap.plain_german).

The catalogue covers every text of the requester pages and follows the rules of plain language
that a test can check: short sentences, no passive, the terms explained where they first appear.
The language is German to Babel and screen readers (lang="de"); caches keep it apart.
"""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from tests.requests.test_translations import KEYWORDS, SHARED_MODULES, SHARED_TEMPLATES

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "eap" / "translations" / "de_simple" / "LC_MESSAGES" / "messages.po"
MAX_WORDS = 14
PASSIVE = re.compile(r"\b(wird|werden|wurde|wurden|worden)\b", re.IGNORECASE)


def requester_page_msgids() -> set[str]:
    """The texts of the requester pages themselves (the footer pages stay standard German)."""
    sources = [(p, "jinja2") for p in (ROOT / "templates" / "requests").glob("*.html")]
    sources += [(ROOT / "templates" / name, "jinja2") for name in SHARED_TEMPLATES]
    sources += [(p, "python") for p in (ROOT / "eap" / "requests").glob("*.py")]
    sources += [(ROOT / name, "python") for name in SHARED_MODULES]
    found = set()
    for path, method in sources:
        for _line, message, _comments, _context in extract_from_file(
            method, str(path), keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def plain() -> dict[str, tuple[str, ...]]:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="de")
    return {
        (m.id[0] if isinstance(m.id, tuple) else m.id):
            (m.string if isinstance(m.string, tuple) else (m.string,))
        for m in catalogue if m.id
    }


def test_every_requester_text_has_a_plain_version(plain):
    missing = sorted(i for i in requester_page_msgids() if not all(plain.get(i, ("",))))
    assert not missing, f"no plain German for: {missing}"


def test_short_sentences_and_no_passive(plain):
    long, passive = [], []
    for msgid in requester_page_msgids():
        for text in plain.get(msgid, ()):
            long += [s for s in re.split(r"(?<=[.!?:])\s+", text) if len(s.split()) > MAX_WORDS]
            if PASSIVE.search(text):
                passive.append(text)
    assert not long, f"sentences over {MAX_WORDS} words: {long}"
    assert not passive, f"passive voice: {passive}"


@pytest.mark.parametrize(("msgid", "explanation"), [
    ("A passphrase is a password made of several words. Use at least %(n)s characters: "
     "several unusual words in a row are easy to remember and hard to guess.",
     "Ein Pass-Satz ist ein Passwort aus mehreren Wörtern."),
    ("Your account is anonymous: we do not ask for your name, e-mail address or phone number. "
     "Instead you get this case key:",
     "Der Fall-Schlüssel ist wie ein Name für Ihr Konto."),
    ("If you forget your passphrase, this one-time code lets you set a new one. It is shown "
     "only now. Write it down and keep it apart from your case key.",
     "Der Not-Code hilft Ihnen"),
    ("Enter the access code of your employer. You find it on the poster or in the information "
     "from your employer.", "Den Code bekommen Sie von Ihrem Arbeitgeber."),
])
def test_terms_are_explained_where_they_first_appear(plain, msgid, explanation):
    assert explanation in plain[msgid][0]


def test_choosing_plain_german(client):
    start = client.get("/help/").get_data(as_text=True)
    assert start.count('href="/language/') == 7 and "Deutsch – einfach" in start
    client.get("/language/de-simple?next=/help/")
    page = client.get("/help/").get_data(as_text=True)
    assert '<html lang="de"' in page
    assert "Hier bekommen Sie Hilfe." in page
    assert 'hreflang="de" aria-current="true">Deutsch – einfach</a>' in page
    assert 'value="de-simple" lang="de" aria-current="true"' in page
    # The footer pages have no plain version yet: standard German, not English.
    assert "Häufige Fragen" in client.get("/faq").get_data(as_text=True)


def test_plain_and_standard_german_never_share_a_cached_page(app):
    plain_reader, german_reader = app.test_client(), app.test_client()
    plain_reader.get("/language/de-simple?next=/help/")
    german_reader.get("/language/de?next=/help/")
    for path in ("/faq", "/emergency"):
        plain_reader.get(path)  # rendered (and cached) for the plain reader first
        page = german_reader.get(path).get_data(as_text=True)
        assert "Telefon-Zeiten" not in page and "Notruf-Nummern" not in page, path
    page = german_reader.get("/help/").get_data(as_text=True)
    assert "Hier bekommen Sie Hilfe." not in page


def test_portal_pages_stay_standard_german(client):
    client.get("/language/de-simple?next=/help/")
    page = client.get("/packages").get_data(as_text=True)
    assert '<html lang="de"' in page and "Notruf-Nummern" not in page
