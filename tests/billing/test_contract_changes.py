"""Changing a running contract: two HR users at the same moment, the cost shown before a
seat change, and a cancellation that asks first."""

import re

import pytest
import stripe

from eap.billing.models import Contract
from eap.extensions import db
from tests.billing import stripe_env
from tests.billing.concurrency import together
from tests.billing.conftest import version_of
from tests.conftest import csrf_token, login_hr, post_form

pytestmark = pytest.mark.stripe



@pytest.fixture
def app_settings(stripe_api):
    return stripe_env.settings(stripe_api)


CHANGED = "Someone changed the contract meanwhile"
DONE = "The number of seats is changed"


def stripe_seats(sub_id) -> int:
    return int(stripe.Subscription.retrieve(sub_id)["items"]["data"][0]["quantity"])


def test_two_hr_users_changing_seats_at_once(app, english, running, make_hr_user):
    contract, sub_id, _ = running
    with app.app_context():
        organisation_id = db.session.get(Contract, contract.id).organisation_id
    colleague = app.test_client()
    with colleague.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    from eap.employers.models import Organisation
    with app.app_context():
        organisation = db.session.get(Organisation, organisation_id)
        db.session.expunge(organisation)
    login_hr(colleague, make_hr_user(organisation=organisation, role="owner"))
    clients = (english, colleague)
    for round_ in range(4):
        version = version_of(app, contract.id)
        wanted = (60 + 2 * round_, 61 + 2 * round_)
        tokens = [csrf_token(c, "/hr/contract/") for c in clients]

        def change(index):
            return lambda _thread_client: clients[index].post(
                "/hr/contract/seats", follow_redirects=True,
                data={"seats": wanted[index], "version": version, "csrf_token": tokens[index]})

        pages = [r.get_data(as_text=True) for r in together(app, [change(0), change(1)])]
        won = [i for i, page in enumerate(pages) if DONE in page]
        lost = [i for i, page in enumerate(pages) if CHANGED in page]
        assert len(won) == 1 and len(lost) == 1, f"round {round_}"
        with app.app_context():
            local = db.session.get(Contract, contract.id).seats
        # Stripe and the portal agree, on the change that won.
        assert stripe_seats(sub_id) == local == wanted[won[0]], f"round {round_}"


def test_a_form_shown_before_another_change_is_refused(app, english, running):
    contract, sub_id, _ = running
    old = version_of(app, contract.id)
    post_form(english, "/hr/contract/seats", {"seats": 70, "version": old},
              from_url="/hr/contract/")
    page = post_form(english, "/hr/contract/seats", {"seats": 55, "version": old},
                     from_url="/hr/contract/", follow_redirects=True)
    assert CHANGED in page.get_data(as_text=True)
    assert stripe_seats(sub_id) == 70


def test_a_seat_change_shows_its_cost_before_it_is_confirmed(app, english, running, stripe_api):
    contract, sub_id, _ = running
    page = english.get("/hr/contract/")
    assert 'action="/hr/contract/seats"' in page.get_data(as_text=True)
    version = version_of(app, contract.id)
    preview = english.get("/hr/contract/seats", query_string={"seats": 80, "version": version})
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "From 50 to 80 seats" in text
    # Stripe's upcoming-invoice preview was asked for the new quantity ...
    sent = stripe_api.requests[-1]
    assert [r for r in stripe_api.requests if r["path"] == "/v1/invoices/create_preview"]
    assert re.search(r'data-testid="next-invoice">[^<]*€', text)
    # ... and nothing changed yet.
    assert stripe_seats(sub_id) == 50 and sent
    assert version_of(app, contract.id) == version
    # The confirmation carries what was shown.
    assert 'name="seats" value="80"' in text
    assert f'name="version" type="hidden" value="{version}"' in text
    post_form(english, "/hr/contract/seats", {"seats": 80, "version": version},
              from_url="/hr/contract/")
    assert stripe_seats(sub_id) == 80


def test_cancelling_asks_first_and_says_until_when_access_remains(app, english, running):
    contract, sub_id, _ = running
    with app.app_context():
        from datetime import UTC, datetime
        db.session.get(Contract, contract.id).current_period_end = datetime(2031, 3, 14, tzinfo=UTC)
        db.session.commit()
    page = english.get("/hr/contract/").get_data(as_text=True)
    assert 'href="/hr/contract/cancel"' in page
    assert 'action="/hr/contract/cancel"' not in page  # no one-click cancellation
    confirm = english.get("/hr/contract/cancel").get_data(as_text=True)
    with app.app_context():
        end = db.session.get(Contract, contract.id).current_period_end
    assert end is not None
    from flask_babel import format_date
    with app.test_request_context():
        from flask import session
        session["lang"] = "en"
        shown = format_date(end)
    assert "keep access until" in confirm and shown in confirm and "2031" in shown
    assert stripe.Subscription.retrieve(sub_id)["cancel_at_period_end"] is False
    post_form(english, "/hr/contract/cancel", {"version": version_of(app, contract.id)},
              from_url="/hr/contract/cancel")
    assert stripe.Subscription.retrieve(sub_id)["cancel_at_period_end"] is True
