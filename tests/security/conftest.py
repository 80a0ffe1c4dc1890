"""Shared helpers of the security suite: signing in each kind of actor, filling URL rules."""

from __future__ import annotations

import re

from tests.conftest import login_hr, login_staff, post_form  # noqa: F401 - re-exported
from tests.requests.conftest import (  # noqa: F401 - fixtures and helpers
    PASSPHRASE,
    send_request,
    sign_up,
    signed_up,
    working_code,
)

COOKIE = "__Host-eap_session"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# Values for URL arguments when only the route's reaction to a missing token or a foreign
# visitor matters (no real object behind them).
DUMMY_ARGUMENTS = {"int": 1, "default": "x", "path": "x", "string": "x"}


def fill_rule(rule, values: dict | None = None) -> str:
    """A concrete URL for ``rule``: given values first, dummies for the rest."""
    return fill_rule_all(rule, values)[0]


def fill_rule_all(rule, values: dict | None = None) -> list[str]:
    """Every concrete URL of ``rule``: one per choice of an ``any(...)`` argument."""
    from werkzeug.routing import AnyConverter, IntegerConverter

    urls = [rule.rule]
    for name in rule.arguments:
        converter = rule._converters[name]
        if values and name in values:
            choices = [values[name]]
        elif isinstance(converter, AnyConverter):
            choices = sorted(converter.items)
        elif isinstance(converter, IntegerConverter):
            choices = [1]
        else:
            choices = ["x"]
        pattern = re.compile(r"<(?:[^<>]*?:)?" + re.escape(name) + r"(?:\([^)]*\))?>")
        urls = [pattern.sub(str(choice), url) for url in urls for choice in choices]
    return urls


def post_urls(app) -> list[tuple[str, str]]:
    """(endpoint, url) of every POST route, each ``any(...)`` choice separately."""
    return [(rule.endpoint, url) for rule in post_routes(app) for url in fill_rule_all(rule)]


def post_routes(app) -> list:
    return sorted(
        (r for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint != "static"),
        key=lambda r: r.rule,
    )
