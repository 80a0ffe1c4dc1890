"""What every template may use: the emergency numbers, languages, text direction."""

import logging
import re

from flask import Flask, current_app, render_template
from flask_babel import format_currency, get_locale
from markupsafe import Markup
from wtforms.form import BaseForm

from eap.i18n import RTL_LANGUAGES, current_language, languages_for_page
from eap.public.emergency import footer_numbers, numbers_for, parse_hours, phone_line

# DESIGN.md §2: shown in every page's footer, and first of all on the crisis path. The numbers
# and their texts in every language live in eap/data/emergency_numbers.toml (eap.public.emergency).
EMERGENCY_NUMBERS = footer_numbers("de")


class _NoClientAddresses(logging.Filter):
    """Drop the development server's per-request lines: they start with the client's address.

    Werkzeug formats them as ``<address> - - [<time>] "<request line>" ...`` before logging.
    """

    _REQUEST_LINE = re.compile(r"^\S+ - - \[")

    def filter(self, record: logging.LogRecord) -> bool:
        return not self._REQUEST_LINE.match(str(record.msg))


class FragmentNotCacheable(RuntimeError):
    """A fragment rendered once for every visitor reached for something of one visitor."""


# What belongs to one visitor in a template's context. While a cached fragment renders, each
# name stands for a ``_Personal`` placeholder, so that using it stops the rendering.
PERSONAL_NAMES = ("current_user", "csrf_token", "session", "g", "request", "get_flashed_messages")


class _Personal:
    """Any use (attribute, call, text, truth value, iteration) raises ``FragmentNotCacheable``."""

    __slots__ = ("_personal_name",)

    def __init__(self, name: str) -> None:
        self._personal_name = name

    def _refuse(self, *_args, **_kwargs):
        raise FragmentNotCacheable(f"a cached fragment used {self._personal_name}")

    def __getattr__(self, _attribute):
        self._refuse()

    __call__ = __str__ = __html__ = __bool__ = __iter__ = __len__ = _refuse
    __getitem__ = __contains__ = __eq__ = _refuse
    __hash__ = None


def cached_fragment(name: str) -> Markup:
    """Render a template that depends on nothing but the language once per language.

    Only for parts like the footer (emergency numbers, fixed links). The fragment renders with
    the visitor's things (``PERSONAL_NAMES``: the user, the form token, the session) replaced
    by placeholders: a fragment that uses one is refused. In debug and test runs that raises
    ``FragmentNotCacheable``; in production the fragment is logged and rendered for this
    visitor alone, never kept for the next one.
    """
    store = current_app.extensions.setdefault("eap_fragments", {})
    key = (name, current_language())
    html = store.get(key)
    if html is not None:
        return html
    try:
        html = render_template(name, **{n: _Personal(n) for n in PERSONAL_NAMES})
    except FragmentNotCacheable:
        if current_app.debug or current_app.testing:
            raise
        logging.getLogger(__name__).exception("%s is not cached: it is personal", name)
        return Markup(render_template(name))  # noqa: S704  # nosec B704 - rendered by Jinja
    html = store[key] = Markup(html)  # noqa: S704  # nosec B704 - rendered by Jinja
    return html


def form_has_errors(form) -> bool:
    """For the layout: the page's main form (the ``form`` variable) failed validation."""
    return isinstance(form, BaseForm) and bool(form.errors)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["form_has_errors"] = form_has_errors
    parse_hours(app.config.get("PHONE_LINE_HOURS") or "")  # a typo stops start-up, not a page
    app.jinja_env.globals["cached_fragment"] = cached_fragment
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, _NoClientAddresses) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(_NoClientAddresses())

    @app.context_processor
    def inject_globals():
        locale = str(get_locale() or "de")
        return {
            # (label, number, dial) of the footer's short list; every number with its purpose
            # and languages; the iGuS phone line (None when not configured).
            "emergency_numbers": footer_numbers(locale),
            "all_emergency_numbers": numbers_for(locale),
            "phone_line": phone_line(current_app.config, get_locale()),
            "current_locale": locale,
            "current_language": current_language(),  # "de-simple" for plain German
            "text_direction": "rtl" if locale in RTL_LANGUAGES else "ltr",
            "page_languages": languages_for_page(),
        }

    @app.template_filter("euro")
    def euro(cents: int) -> str:
        return format_currency(cents / 100, "EUR")
