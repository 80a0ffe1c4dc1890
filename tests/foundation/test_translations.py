"""The German catalogue is complete: every msgid of the template has a real translation."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "eap" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalogue(path: Path, locale: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _texts(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def _key(message) -> str:
    return _texts(message.id)[0]


@pytest.fixture(scope="module")
def template():
    return {_key(m): m for m in _catalogue(TRANSLATIONS / "messages.pot") if m.id}


@pytest.fixture(scope="module")
def german():
    path = TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po"
    return {_key(m): m for m in _catalogue(path, "de") if m.id}


def test_every_msgid_has_a_german_translation(template, german):
    missing = sorted(key for key in template if key not in german)
    empty = sorted(
        key for key in template if key in german and not all(_texts(german[key].string))
    )
    fuzzy = sorted(key for key in template if key in german and german[key].fuzzy)
    assert not missing, f"msgids missing from de/messages.po (run pybabel update -l de): {missing}"
    assert not empty, f"untranslated German msgids: {empty}"
    assert not fuzzy, f"fuzzy German translations: {fuzzy}"


def test_placeholders_match(template, german):
    wrong = []
    for key in template:
        message = german.get(key)
        if message is None:
            continue
        expected = set(PLACEHOLDER.findall(" ".join(_texts(message.id))))
        for text in _texts(message.string):
            if set(PLACEHOLDER.findall(text)) != expected:
                wrong.append((key, text))
    assert not wrong, wrong


def test_english_catalogue_knows_every_msgid(template):
    """English msgstr may stay empty (the msgid is the English text), but none may be missing."""
    english = {_key(m) for m in _catalogue(TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po")}
    assert not sorted(set(template) - english)


def test_compiled_catalogue_is_used(client):
    """The .mo files are compiled by `make install`; German is the default language."""
    page = client.get("/hr/login").get_data(as_text=True)
    assert "Anmeldung für Arbeitgeber" in page


def test_template_is_up_to_date_with_the_code(template, tmp_path):
    """Every translatable string in eap/ and templates/ is in messages.pot.

    When this fails, run the extraction (README, "Translations") and translate the new strings.
    """
    from babel.messages.frontend import CommandLineInterface

    root = TRANSLATIONS.parents[1]
    fresh = tmp_path / "fresh.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(root / "babel.cfg"), "-k", "_l",
         "--no-location", "-o", str(fresh), str(root)]
    )
    extracted = {_key(m) for m in _catalogue(fresh) if m.id}
    assert not sorted(extracted - set(template)), "new strings: re-run the extraction"
