"""Webhooks: signature, time window, duplicates, order, failures, unknown customers."""

import json
import logging
import time

import pytest
import sqlalchemy as sa

from eap.billing.models import Contract, Invoice, StripeEvent
from eap.extensions import db
from tests.billing.stripe_env import event, invoice, post_event, sign, subscription
from tests.conftest import count


@pytest.fixture
def pending(app, make_contract, make_package):
    package = make_package(slug="paket1")
    return make_contract(package=package, status="pending", seats=10,
                         stripe_customer_id="cus_A")


def contract_of(app, contract_id):
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        db.session.expunge(contract)
        return contract


def events(app):
    with app.app_context():
        return count(StripeEvent)


def test_checkout_completion_activates_the_contract(app, client, pending):
    session = {"id": "cs_1", "object": "checkout.session", "mode": "subscription",
               "client_reference_id": str(pending.id), "customer": "cus_A",
               "subscription": "sub_A", "payment_status": "paid"}
    response = post_event(client, event("checkout.session.completed", session))
    assert response.status_code == 200 and response.json["outcome"] == "applied"
    contract = contract_of(app, pending.id)
    assert contract.status == "active" and contract.stripe_subscription_id == "sub_A"


def test_subscription_events_in_the_current_shape(app, client, pending):
    sub = subscription("sub_A", "cus_A", pending.id, quantity=60, lookup_key="paket1_year")
    assert post_event(client, event("customer.subscription.created", sub)).status_code == 200
    contract = contract_of(app, pending.id)
    assert (contract.status, contract.seats, contract.interval) == ("active", 60, "year")
    assert contract.current_period_end is not None
    cancelled = subscription("sub_A", "cus_A", pending.id, quantity=60, cancel=True)
    post_event(client, event("customer.subscription.updated", cancelled))
    assert contract_of(app, pending.id).status == "cancelled"
    post_event(client, event("customer.subscription.deleted", {**cancelled, "status": "canceled"}))
    assert contract_of(app, pending.id).status == "ended"


@pytest.mark.parametrize("tamper", ["body", "secret", "missing", "garbage"])
def test_a_tampered_webhook_is_refused_and_changes_nothing(app, client, pending, tamper):
    payload = event("customer.subscription.created", subscription("sub_A", "cus_A", pending.id))
    body = json.dumps(payload).encode()
    header = sign(body)
    if tamper == "body":
        body = body.replace(b'"quantity": 50', b'"quantity": 9999')
    elif tamper == "secret":
        header = sign(body, secret="whsec_wrong")
    elif tamper == "missing":
        header = ""
    else:
        header = "t=abc,v1=zzz"
    response = client.post("/stripe/webhook", data=body, headers={"Stripe-Signature": header})
    assert response.status_code == 400
    assert contract_of(app, pending.id).status == "pending" and events(app) == 0


@pytest.mark.parametrize("offset", [-301, +301, -3600, +3600])
def test_old_and_future_timestamps_are_refused(app, client, pending, offset):
    payload = event("customer.subscription.created", subscription("sub_A", "cus_A", pending.id))
    response = post_event(client, payload, at=int(time.time()) + offset)
    assert response.status_code == 400
    assert contract_of(app, pending.id).status == "pending" and events(app) == 0


def test_a_duplicate_event_has_exactly_one_effect(app, client, pending):
    sub = subscription("sub_A", "cus_A", pending.id)
    post_event(client, event("customer.subscription.created", sub, created=100))
    paid = event("invoice.paid", invoice("in_0001", "cus_A", "sub_A"), created=200)
    assert post_event(client, paid).json["outcome"] == "applied"
    # Meanwhile a newer change; then Stripe re-sends the old invoice event.
    with app.app_context():
        db.session.get(Contract, pending.id).status = "past_due"
        db.session.commit()
    again = post_event(client, paid)
    assert again.status_code == 200 and again.json["outcome"] == "duplicate"
    assert contract_of(app, pending.id).status == "past_due"
    with app.app_context():
        assert count(Invoice) == 1 and count(StripeEvent) == 2


def test_events_out_of_order_end_in_the_right_state(app, client, pending):
    now = int(time.time())
    newer = subscription("sub_A", "cus_A", pending.id, quantity=80, cancel=True)
    older = subscription("sub_A", "cus_A", pending.id, quantity=50)
    post_event(client, event("customer.subscription.updated", newer, created=now))
    late = post_event(client, event("customer.subscription.created", older, created=now - 60))
    assert late.json["outcome"] == "stale"
    contract = contract_of(app, pending.id)
    assert (contract.status, contract.seats) == ("cancelled", 80)


def test_payment_failed_then_paid(app, client, pending):
    now = int(time.time())
    post_event(client, event("customer.subscription.created",
                             subscription("sub_A", "cus_A", pending.id), created=now - 10))
    post_event(client, event("invoice.finalized",
                             invoice("in_0002", "cus_A", "sub_A", status="open"), created=now - 5))
    post_event(client, event("invoice.payment_failed",
                             invoice("in_0002", "cus_A", "sub_A", status="open"), created=now - 4))
    assert contract_of(app, pending.id).status == "past_due"
    post_event(client, event("invoice.paid", invoice("in_0002", "cus_A", "sub_A"), created=now))
    assert contract_of(app, pending.id).status == "active"
    with app.app_context():
        row = db.session.scalar(sa.select(Invoice))
        assert row.status == "paid" and row.invoice_pdf.endswith("/pdf")


def test_unknown_customer_is_answered_200_and_logged_without_data(app, client, caplog):
    caplog.set_level(logging.INFO)
    sub = subscription("sub_Z", "cus_unknown", None)
    response = post_event(client, event("customer.subscription.created", sub, event_id="evt_u1"))
    assert response.status_code == 200 and response.json["outcome"] == "ignored"
    with app.app_context():
        assert db.session.get(StripeEvent, "evt_u1").outcome == "ignored"
        assert count(Contract) == 0
    assert "cus_unknown" not in caplog.text and "evt_u1" in caplog.text


def test_a_processing_failure_answers_500_writes_nothing_and_the_retry_works(
    app, client, pending, monkeypatch
):
    from eap.billing import events as billing_events

    payload = event("customer.subscription.created", subscription("sub_A", "cus_A", pending.id))
    original = billing_events.HANDLERS["customer.subscription.created"]

    def broken(obj, created):
        original(obj, created)
        raise RuntimeError("database went away")

    monkeypatch.setitem(billing_events.HANDLERS, "customer.subscription.created", broken)
    assert post_event(client, payload).status_code == 500
    assert contract_of(app, pending.id).status == "pending" and events(app) == 0
    monkeypatch.setitem(billing_events.HANDLERS, "customer.subscription.created", original)
    assert post_event(client, payload).status_code == 200
    assert contract_of(app, pending.id).status == "active"


def test_webhook_needs_no_csrf_but_only_post(client):
    assert client.get("/stripe/webhook").status_code == 405
