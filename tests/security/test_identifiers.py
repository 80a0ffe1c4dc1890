"""Identifiers in URLs of cases and messages are random, never sequential row ids."""

from __future__ import annotations

import sqlalchemy as sa

from eap.extensions import db
from tests.conftest import post_form
from tests.security.conftest import send_request, sign_up


def test_case_routes_take_random_public_ids(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/help/requests/<", "/staff/cases/<")) and rule.arguments:
            if "service_id" in rule.arguments:
                continue  # referral services: staff-only configuration, not case data
            assert "public_id" in rule.arguments, rule.rule
            converter = type(rule._converters["public_id"]).__name__
            assert "Integer" not in converter, rule.rule


def test_public_ids_are_long_and_unrelated(app, working_code):
    from eap.requests.models import HelpRequest, Message

    client = app.test_client()
    _org, code = working_code()
    sign_up(client, code)
    for _ in range(3):
        assert send_request(client).status_code == 302
    with app.app_context():
        ids = db.session.scalars(sa.select(HelpRequest.public_id)).all()
    url = f"/help/requests/{ids[0]}"
    for text in ("eins", "zwei"):
        post_form(client, url + "/reply", {"body": text}, from_url=url)
    with app.app_context():
        ids += db.session.scalars(sa.select(Message.public_id)).all()
    assert len(ids) == len(set(ids)) == 5
    for public_id in ids:
        assert len(public_id) >= 16 and not public_id.isdigit()
    prefixes = {public_id[:4] for public_id in ids}
    assert len(prefixes) >= 4  # no shared counter-like prefix
