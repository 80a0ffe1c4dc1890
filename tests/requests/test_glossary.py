"""Issue 16: the requester terms are said the same way everywhere, in every language, as the
glossary (eap/translations/glossary.toml) says."""

import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.requests.test_translations import LANGUAGES, requester_msgids

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "eap" / "translations" / "glossary.toml"
ALL_LANGUAGES = ("de", "de_simple", *LANGUAGES)  # de_simple: plain German (eap.plain_german)


def _terms() -> list[dict]:
    with GLOSSARY.open("rb") as handle:
        return tomllib.load(handle)["term"]


def _texts(language: str) -> dict[str, str]:
    """msgid → translation of every requester text (plural forms joined)."""
    path = ROOT / "eap" / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = {(m.id[0] if isinstance(m.id, tuple) else m.id): m for m in read_po(handle)}
    texts = {}
    for msgid in requester_msgids():
        message = catalogue.get(msgid)
        if message is not None and message.string:
            string = message.string
            texts[msgid] = " ".join(string) if isinstance(string, tuple) else string
    return texts


def test_the_glossary_names_every_language():
    for term in _terms():
        missing = [code for code in ALL_LANGUAGES if not term.get(code)]
        assert not missing, f"{term['en']}: no word for {missing}"


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_glossary_terms_are_used_consistently(language):
    texts = _texts(language)
    wrong, avoided = [], []
    for term in _terms():
        source = re.compile(term["en"], re.IGNORECASE)
        target = re.compile(term[language], re.IGNORECASE)
        for msgid, text in texts.items():
            if source.search(msgid) and not target.search(text):
                wrong.append(f"{term['en']!r} is not {term[language]!r} in: {text}")
        for word in term.get("avoid", {}).get(language, []):
            avoided += [f"{word!r} in: {text}" for text in texts.values()
                        if re.search(word, text, re.IGNORECASE)]
    assert not wrong, f"{language}: glossary terms not used:\n" + "\n".join(wrong)
    assert not avoided, f"{language}: words the glossary avoids:\n" + "\n".join(avoided)
