"""Language choice: the visitor's pick (kept in the session), else the browser's, else German."""

from datetime import UTC
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import Blueprint, current_app, has_request_context, redirect, request, session, url_for
from flask.globals import _cv_app
from flask_babel import get_locale, get_timezone, get_translations
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup

from eap.redirects import safe_next

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

bp = Blueprint("i18n", __name__)


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


def _remember(code: str, target: str | None):
    if code in REQUESTER_LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(target) or url_for("public.index"))


@bp.get("/language/<code>")
def switch_language(code: str):
    """The language links in every page's header: remember the language for this visit and go
    back where the visitor was. A link, not a form, so that a visitor who only reads the public
    pages gets no cookie at all (choosing a language is the first thing that sets one); a link
    from elsewhere can change nothing but the language."""
    return _remember(code, request.args.get("next"))


@bp.post("/language")
def choose_language():
    """The language buttons of the requester start page (a form, like the rest of that flow)."""
    return _remember(request.form.get("lang", ""), request.form.get("next"))


def _babel_state():
    """Flask-Babel's per-request state (the request's Locale is its ``babel_locale``), or None
    outside an app context or before Flask-Babel made it.

    The one place that reads two libraries' private names: Flask's context variable ``_cv_app``
    and Flask-Babel's ``g._flask_babel``. The public route (``get_locale()`` through the ``g``
    proxy) costs ~17 µs per call instead of ~1 µs, and a page translates some fifty texts.
    ``tests/foundation/test_library_internals.py`` fails loudly when either library moves them.
    """
    try:
        return _cv_app.get().g._flask_babel
    except (LookupError, AttributeError):
        return None


def _request_translations():
    """Flask-Babel's translations for the current locale, looked up once per locale and request.

    Flask-Babel resolves its context through several proxies on every call; a page calls gettext
    some fifty times. The result is remembered next to the locale it belongs to, so
    ``force_locale`` (a new Locale object) still gets its own translations.
    """
    state = _babel_state()
    if state is None:
        return get_translations()
    locale = getattr(state, "babel_locale", None)
    cached = getattr(state, "eap_translations", None)
    if locale is not None and cached is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    state.eap_translations = (state.babel_locale, translations)
    return translations


@pass_eval_context
def _template_gettext(eval_ctx, string: str, **variables) -> str:
    """The templates' ``_()``: what Jinja's new-style gettext does, in one call instead of two
    (Jinja's ``_`` is an alias that looks ``gettext`` up and calls it through the context).
    As there, the text is always %-formatted when it has a % sign (so "19 %%" shows "19 %")."""
    translated = _request_translations().ugettext(string)
    if eval_ctx.autoescape:
        translated = Markup(translated)  # noqa: S704  # nosec B704 - the catalogue's own text
    if variables or "%" in translated:
        return translated % variables
    return translated


def install_fast_gettext(app) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _request_translations().ugettext(s),
        ngettext=lambda s, p, n: _request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals["_"] = _template_gettext


def gettext(string: str, **variables) -> str:
    """Like ``flask_babel.gettext``, through the per-request lookup (for per-row texts)."""
    translated = _request_translations().ugettext(string)
    return translated % variables if variables else translated


def lazy_gettext(string: str, **variables) -> LazyString:
    """Flask-Babel's ``lazy_gettext`` (the same LazyString), resolved through ``gettext``
    above: form labels and choices are translated dozens of times per page."""
    return LazyString(gettext, string, **variables)


def _request_locale_and_zone():
    """The request's Locale and time zone, looked up once (see ``_request_translations``)."""
    state = _babel_state()
    if state is None:
        return get_locale(), get_timezone()
    locale = getattr(state, "babel_locale", None)
    cached = getattr(state, "eap_locale_zone", None)
    if locale is not None and cached is not None and cached[0] is locale:
        return cached
    cached = (get_locale(), get_timezone())
    state.eap_locale_zone = cached
    return cached


def request_locale():
    """The request's Locale (Flask-Babel's ``get_locale``, looked up once per request)."""
    return _request_locale_and_zone()[0]


NAMED_FORMATS = ("short", "medium", "long", "full")


@lru_cache(maxsize=64)
def _named_patterns(locale, format: str):
    """The parsed date and time patterns of a named format, and how they are joined."""
    joined = babel_dates.get_datetime_format(format, locale=locale).replace("'", "")
    date = babel_dates.parse_pattern(babel_dates.get_date_format(format, locale=locale))
    time = babel_dates.parse_pattern(babel_dates.get_time_format(format, locale=locale))
    return joined, date, time


def format_datetime(value, format: str | None = None) -> str:
    """Like Flask-Babel's ``datetimeformat`` filter (naive values are UTC), but cheap per row:
    the named formats' patterns are parsed once per language, not once per value."""
    if value is None:
        return ""
    locale, zone = _request_locale_and_zone()
    format = format or "medium"
    if format not in NAMED_FORMATS:
        return babel_dates.format_datetime(value, format, tzinfo=zone, locale=locale)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return _format_named(value, format, locale, zone)


@lru_cache(maxsize=4096)
def _format_named(value, format: str, locale, zone) -> str:
    """One moment in a named format, language and zone. Remembered: a list page shows the same
    moments (the inbox's fifty deadlines) on every view, and Babel takes ~10 µs per value."""
    local = value.astimezone(zone)
    joined, date, time = _named_patterns(locale, format)
    shown = joined.replace("{0}", time.apply(local, locale))
    return shown.replace("{1}", date.apply(local, locale))


# --- numbers in long tables: Babel's output, computed without Babel per value -------------
@lru_cache(maxsize=32)
def _euro_layout(locale) -> tuple[str, str, str, str] | None:
    """(prefix, group, decimal, suffix) of the locale's euro amounts, read off Babel's own
    output for a sample; None when the layout is not that simple (then Babel formats)."""
    symbols = locale.number_symbols.get("latn") or {}
    group, decimal = symbols.get("group", ","), symbols.get("decimal", ".")
    sample = babel_numbers.format_currency(1234567.89, "EUR", locale=locale)
    digits = f"1{group}234{group}567{decimal}89"
    if sample.count(digits) != 1:
        return None
    prefix, suffix = sample.split(digits)
    return prefix, group, decimal, suffix


def format_euro_cents(cents: int) -> str:
    """Like ``format_currency(cents / 100, "EUR")`` in the request's language, but cheap."""
    return _euro_cents(cents, _request_locale_and_zone()[0])


# The two number formats below are remembered per value and language, like ``_format_named``:
# the admin figures show the same ~700 amounts and shares on every view.
@lru_cache(maxsize=4096)
def _euro_cents(cents, locale) -> str:
    layout = _euro_layout(locale)
    if layout is None or cents < 0:
        return babel_numbers.format_currency(cents / 100, "EUR", locale=locale)
    prefix, group, decimal, suffix = layout
    euros, rest = divmod(int(cents), 100)
    whole = f"{euros:,}".replace(",", group)
    return f"{prefix}{whole}{decimal}{rest:02d}{suffix}"


def format_one_decimal(value: float) -> str:
    """Like ``format_decimal(value, format="#,##0.0")`` (half-even, as Babel rounds)."""
    return _one_decimal(value, _request_locale_and_zone()[0])


@lru_cache(maxsize=4096)
def _one_decimal(value: float, locale) -> str:
    symbols = locale.number_symbols.get("latn") or {}
    group, decimal = symbols.get("group", ","), symbols.get("decimal", ".")
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    if rounded.is_signed():
        return babel_numbers.format_decimal(value, format="#,##0.0", locale=locale)
    return f"{rounded:,.1f}".replace(",", "\x00").replace(".", decimal).replace("\x00", group)


def install_fast_filters(app) -> None:
    app.jinja_env.filters["datetimeformat"] = format_datetime
