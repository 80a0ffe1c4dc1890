""""Deutsch – einfach": the requester pages in plain German, a seventh requester language.

Plain German is not a locale Babel knows, so the locale stays ``de`` (dates, numbers, the
``lang`` attribute) and only the texts change: a requester who chose ``de-simple`` gets the
catalogue in ``eap/translations/de_simple``, which falls back to standard German for anything it
does not (yet) say more simply. Portal pages (packages, employer and staff areas) stay standard
German. The texts follow the rules of plain language: short sentences, one statement each, no
passive, terms explained (checked by tests/requests/test_plain_german.py).
"""

from __future__ import annotations

from babel import support
from flask import g, has_app_context, has_request_context, request, session
from flask_babel import Domain, get_locale

PLAIN_GERMAN = "de-simple"
CATALOGUE = "de_simple"  # the folder under eap/translations


def requested() -> bool:
    """The visitor chose plain German and reads a page that speaks it (a requester page)."""
    from eap.i18n import is_requester_page

    return (
        has_request_context()
        and session.get("lang") == PLAIN_GERMAN
        and request.endpoint is not None
        and is_requester_page()
    )


class PlainGermanDomain(Domain):
    """Flask-Babel's message domain, with the plain German catalogue when it was chosen."""

    def get_translations(self):
        """The catalogue, looked up once per locale and request (a page translates dozens of
        texts, and the lookup goes through the context, the locale and the session each time).
        Kept on ``g`` next to the Locale it belongs to, so ``force_locale`` gets its own."""
        locale = get_locale()
        kept = g.get("eap_translations") if has_app_context() else None
        if kept is not None and kept[0] is locale:
            return kept[1]
        translations = self._translations(locale)
        if has_app_context():
            g.eap_translations = (locale, translations)
        return translations

    def _translations(self, locale):
        standard = super().get_translations()
        if not requested() or str(locale) != "de":
            return standard
        key = (CATALOGUE, self.domain[0])
        plain = self.cache.get(key)
        if plain is None:
            plain = support.Translations()
            for directory in self.translation_directories:
                plain.merge(support.Translations.load(directory, [CATALOGUE], self.domain[0]))
            plain.add_fallback(standard)
            self.cache[key] = plain
        return plain


def install(babel) -> None:
    """Use the plain-German-aware domain for every app this Babel instance serves (Flask-Babel
    keeps it in the ``domain_instance`` cached property; set before its first use)."""
    if not isinstance(vars(babel).get("domain_instance"), PlainGermanDomain):
        babel.domain_instance = PlainGermanDomain()
