"""A short-lived in-process cache for the public pages, as anonymous visitors see them.

The landing page, the package list, the FAQ and the legal pages are the same for every anonymous
visitor in one language. They are rendered once per path and language and then served as they
are. A page is served from the cache only when the browser session holds nothing but the chosen
language (no sign-in, no flashed message, no requester session) and the URL has no query string,
so nothing personal is ever cached or shared. A page that contains a form (it calls
``csrf_token()``, whose token belongs to one visitor) is never cached.

Entries live ``PAGE_CACHE_SECONDS`` (default 60; 0 turns the cache off). Saving a service
package clears this process's cache at once; other gunicorn workers follow within that time.
"""

from __future__ import annotations

import time
from functools import wraps

import sqlalchemy as sa
from flask import current_app, g, has_app_context, request, session
from flask_wtf.csrf import generate_csrf

from eap.extensions import db
from eap.i18n import current_language
from eap.packages.models import ServicePackage

# A CSRF token left from a form elsewhere personalises nothing on a page without a form.
ANONYMOUS_KEYS = frozenset({"lang", "csrf_token"})


def csrf_token() -> str:
    """The templates' ``csrf_token()``: Flask-WTF's, noting that this page has a form."""
    g.page_has_form = True
    return generate_csrf()


def _store() -> dict:
    return current_app.extensions.setdefault("eap_page_cache", {})


def clear(app=None) -> None:
    (app or current_app).extensions.get("eap_page_cache", {}).clear()


def _cacheable() -> bool:
    return (
        current_app.config["PAGE_CACHE_SECONDS"] > 0
        and request.method == "GET"
        and not request.query_string
        and set(session.keys()) <= ANONYMOUS_KEYS
    )


def cached_page(view):
    """Serve ``view`` (which returns the rendered page as text) from the cache when it may."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not _cacheable():
            return view(*args, **kwargs)
        key = (request.path, current_language())
        store, now = _store(), time.monotonic()
        entry = store.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        g.page_has_form = False
        page = view(*args, **kwargs)
        if isinstance(page, str) and not g.page_has_form:
            store[key] = (now + current_app.config["PAGE_CACHE_SECONDS"], page)
        return page

    return wrapper


def _packages_changed(session_, _context) -> None:
    if not has_app_context():
        return
    changed = (*session_.new, *session_.dirty, *session_.deleted)
    if any(isinstance(obj, ServicePackage) for obj in changed):
        clear()


def init_app(app) -> None:
    # Flask-WTF offers its csrf_token() both as a global and through a context processor;
    # this one runs after it and so takes its place in every template.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
    if not sa.event.contains(db.session, "after_flush", _packages_changed):
        sa.event.listen(db.session, "after_flush", _packages_changed)
