"""Language choice: the visitor's pick (kept in the session), else the browser's, else German."""

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

# Languages of the whole portal, and the extra ones of the requester pages.
PORTAL_LANGUAGES = {"de": "Deutsch", "en": "English"}
REQUESTER_LANGUAGES = {
    "de": "Deutsch",
    "de-simple": "Deutsch – einfach",  # plain German (eap.plain_german)
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "ru": "Русский",
    "uk": "Українська",
}
# The languages counselling is offered in: the requester languages but plain German (a way of
# writing German, not a language of its own). Names are written in the language itself.
CONVERSATION_LANGUAGES = {code: name for code, name in REQUESTER_LANGUAGES.items()
                          if code != "de-simple"}
RTL_LANGUAGES = {"ar"}
# Public pages a requester reaches from the footer or the crisis path: in all their languages.
REQUESTER_PUBLIC_PAGES = frozenset({
    "public.faq", "public.privacy", "public.imprint", "public.accessibility", "public.cookies",
    "public.emergency",
})
LANGUAGE_LABEL = _l("Language")

def select_locale() -> str:
    if not has_request_context():  # CLI commands and background jobs speak the default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    allowed = REQUESTER_LANGUAGES if is_requester_page() else PORTAL_LANGUAGES
    chosen = session.get("lang")
    if chosen == "de-simple":  # plain German is German to Babel; only the texts differ
        return "de"
    if chosen in allowed:
        return chosen
    best = request.accept_languages.best_match(list(allowed))
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def is_requester_page() -> bool:
    return (bool(request.blueprint) and request.blueprint.startswith("requests")) or (
        request.endpoint in REQUESTER_PUBLIC_PAGES
    )


def languages_for_page() -> dict[str, str]:
    return REQUESTER_LANGUAGES if is_requester_page() else PORTAL_LANGUAGES


def current_language() -> str:
    """The page's language as the visitor chose it: like the locale, but "de-simple" for
    plain German on a requester page (the language links and cached fragments key on it)."""
    if has_request_context() and session.get("lang") == "de-simple" and is_requester_page():
        return "de-simple"
    return str(get_locale())
