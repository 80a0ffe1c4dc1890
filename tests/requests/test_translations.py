"""Every string a requester can see is translated into Turkish, Arabic, Russian and Ukrainian."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("tr", "ar", "ru", "uk")
KEYWORDS = {"_": None, "_l": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# The layout, header, footer, emergency numbers and error pages around every requester page.
SHARED_TEMPLATES = ("base.html", "_footer.html", "_emergency_numbers.html", "_language_switch.html",
                    "errors/error.html", "macros/form.html", "_emergency_directory.html",
                    "_reachable_now.html")
# The footer pages and the emergency page keep the requester's language (eap.i18n).
PUBLIC_REQUESTER_PAGES = ("faq", "privacy", "imprint", "accessibility", "cookies", "emergency")
SHARED_MODULES = ("eap/template_globals.py", "eap/errors.py", "eap/i18n.py")
# The live chat's requester side (eap/chat/requester_views.py is a requests_* blueprint).
CHAT_REQUESTER = ("templates/chat/start.html", "templates/chat/requester.html",
                  "templates/chat/_lines.html", "templates/chat/_thread.html",
                  "eap/chat/requester_views.py", "eap/chat/forms.py")


def requester_msgids() -> set[str]:
    sources = [(p, "jinja2") for p in (ROOT / "templates" / "requests").glob("*.html")]
    sources += [(ROOT / "templates" / name, "jinja2") for name in SHARED_TEMPLATES]
    sources += [(ROOT / "templates" / "public" / f"{name}.html", "jinja2")
                for name in PUBLIC_REQUESTER_PAGES]
    sources += [(p, "python") for p in (ROOT / "eap" / "requests").glob("*.py")]
    sources += [(ROOT / name, "python") for name in SHARED_MODULES]
    sources += [(ROOT / name, "jinja2" if name.endswith(".html") else "python")
                for name in CHAT_REQUESTER]
    found = set()
    for path, method in sources:
        for _line, message, _comments, _context in extract_from_file(
            method, str(path), keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_requester_msgid_is_translated(language):
    path = ROOT / "eap" / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = {
            (m.id[0] if isinstance(m.id, tuple) else m.id): m for m in read_po(handle) if m.id
        }
    missing, wrong = [], []
    for msgid in sorted(requester_msgids()):
        message = catalogue.get(msgid)
        texts = message.string if message and isinstance(message.string, tuple) else (
            (message.string,) if message else ())
        if not message or not all(texts) or message.fuzzy:
            missing.append(msgid)
            continue
        expected = set(PLACEHOLDER.findall(msgid))
        if any(set(PLACEHOLDER.findall(text)) != expected for text in texts):
            wrong.append(msgid)
    assert not missing, f"{language}: untranslated requester strings: {missing}"
    assert not wrong, f"{language}: placeholders differ: {wrong}"


@pytest.mark.parametrize(("language", "text"), [
    ("tr", "Dilinizi seçin"), ("ar", "اختر لغتك"), ("ru", "Выберите язык"), ("uk", "Оберіть мову"),
])
def test_pages_speak_the_chosen_language(client, language, text):
    with client.session_transaction() as browser_session:
        browser_session["lang"] = language
    page = client.get("/help/").get_data(as_text=True)
    assert text in page
    assert ('dir="rtl"' in page) == (language == "ar")
