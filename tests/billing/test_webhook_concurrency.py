"""Stripe delivers at least once, concurrently and out of order: real threads, same moment.

Meant for PostgreSQL (the CI round); on SQLite the same tests run and the database's single
writer makes them pass trivially or through retries.
"""

import time

import pytest
import sqlalchemy as sa

from eap.billing.models import Contract, Invoice, StripeEvent
from eap.extensions import db
from tests.billing.concurrency import deliver_until_accepted, together, webhook
from tests.billing.stripe_env import event, invoice, subscription

ROUNDS = 15


@pytest.fixture
def contract_factory(make_contract, make_package):
    package = make_package(slug="paket1")
    counter = iter(range(1, 1000))

    def make(**fields):
        n = next(counter)
        defaults = dict(package=package, status="pending", seats=10,
                        stripe_customer_id=f"cus_{n}", stripe_subscription_id=f"sub_{n}")
        return make_contract(**{**defaults, **fields})

    return make


def test_invoice_events_arriving_together_are_never_dropped(app, client, contract_factory):
    """invoice.finalized and invoice.paid insert the same invoice row at the same moment."""
    now = int(time.time())
    for round_ in range(ROUNDS):
        contract = contract_factory()
        sub, cus = contract.stripe_subscription_id, contract.stripe_customer_id
        inv = f"in_{round_:04d}"
        finalized = event("invoice.finalized", invoice(inv, cus, sub, status="open"),
                          created=now - 1)
        paid = event("invoice.paid", invoice(inv, cus, sub), created=now)
        answers = together(app, [webhook(finalized), webhook(paid)])
        for payload, answer in zip((finalized, paid), answers, strict=True):
            with app.app_context():
                stored = db.session.get(StripeEvent, payload["id"]) is not None
            # 200 is a promise to Stripe that the event had its effect: it never retries it.
            assert answer.status_code in (200, 500)
            if answer.status_code == 200:
                assert stored, f"round {round_}: {payload['type']} answered 200 but was dropped"
            else:
                assert not stored
                deliver_until_accepted(client, payload)
        with app.app_context():
            current = db.session.get(Contract, contract.id)
            rows = list(db.session.scalars(
                sa.select(Invoice).where(Invoice.stripe_invoice_id == inv)))
            assert current.status == "active", f"round {round_}"
            assert [row.status for row in rows] == ["paid"]


def test_subscription_events_out_of_order_at_the_same_moment(app, client, contract_factory):
    """Two updates for one contract in parallel: the newer one always wins."""
    now = int(time.time())
    for round_ in range(ROUNDS):
        contract = contract_factory(status="active", seats=50)
        sub, cus = contract.stripe_subscription_id, contract.stripe_customer_id
        newer = event("customer.subscription.updated",
                      subscription(sub, cus, contract.id, quantity=80, cancel=True), created=now)
        older = event("customer.subscription.updated",
                      subscription(sub, cus, contract.id, quantity=60), created=now - 30)
        answers = together(app, [webhook(older), webhook(newer)])
        for payload, answer in zip((older, newer), answers, strict=True):
            if answer.status_code != 200:
                deliver_until_accepted(client, payload)
        with app.app_context():
            current = db.session.get(Contract, contract.id)
            assert (current.seats, current.status) == (80, "cancelled"), f"round {round_}"
            assert current.stripe_event_created == now
            outcomes = sorted(db.session.scalars(sa.select(StripeEvent.outcome).where(
                StripeEvent.id.in_([older["id"], newer["id"]]))))
        # Whichever came first: the newer one applied, the older one was stale or overtaken.
        assert "applied" in outcomes and len(outcomes) == 2


def test_the_same_event_delivered_twice_at_once_has_one_effect(app, client, contract_factory):
    for round_ in range(ROUNDS):
        contract = contract_factory()
        sub, cus = contract.stripe_subscription_id, contract.stripe_customer_id
        paid = event("invoice.paid", invoice(f"in_d{round_:03d}", cus, sub))
        answers = together(app, [webhook(paid), webhook(paid)])
        # PostgreSQL: the second waits for the first's lock and finds the event stored.
        # SQLite (one writer, no row locks) may answer 500 instead: Stripe delivers again.
        outcomes = [a.json["outcome"] if a.status_code == 200
                    else deliver_until_accepted(client, paid).json["outcome"] for a in answers]
        assert sorted(outcomes) == ["applied", "duplicate"], f"round {round_}"
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Invoice).where(
                Invoice.stripe_invoice_id == f"in_d{round_:03d}")) == 1
