"""``flask reconcile-stripe``: local rows broken on purpose are found, and repaired on --apply."""

import pytest
import sqlalchemy as sa
import stripe

from eap.billing.models import Contract, Invoice
from eap.extensions import db
from tests.billing import stripe_env

pytestmark = pytest.mark.stripe


@pytest.fixture
def app_settings(stripe_api):
    return stripe_env.settings(stripe_api)


def reconcile(app, *args, status=0):
    """The command's output; its exit status (cron and systemd report a non-zero one) is
    checked: 1 differences found, 2 contracts not reachable at Stripe."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["reconcile-stripe", *args])
    assert result.exit_code == status, result.output
    return result.output


def test_differences_are_reported_then_repaired(app, running):
    contract, sub_id, premium = running
    paid = [i for i in stripe.Invoice.list(customer=contract.stripe_customer_id)["data"]
            if i["status"] == "paid"]
    assert paid, "the emulator charged the first invoice"
    with app.app_context():
        broken = db.session.get(Contract, contract.id)
        broken.seats, broken.status, broken.package_id = 7, "past_due", premium.id
        db.session.commit()

    report = reconcile(app, status=1)
    assert f"contract {contract.id}: status local past_due, stripe active" in report
    assert f"contract {contract.id}: seats local 7, stripe 50" in report
    assert f"price local package {premium.id}/month, stripe package {contract.package_id}/month" \
        in report
    assert f"invoice {paid[0]['id']} paid at stripe, missing locally" in report
    assert "Checked 1 contract(s): 1 with differences (run with --apply to repair)" in report
    with app.app_context():
        unchanged = db.session.get(Contract, contract.id)
        assert (unchanged.seats, unchanged.status) == (7, "past_due")

    reconcile(app, "--apply", status=1)  # found (and repaired): still reported
    with app.app_context():
        repaired = db.session.get(Contract, contract.id)
        assert (repaired.seats, repaired.status, repaired.package_id) == (
            50, "active", contract.package_id)
        assert repaired.current_period_end is not None
        rows = list(db.session.scalars(sa.select(Invoice)))
        assert [(r.stripe_invoice_id, r.status) for r in rows] == [(paid[0]["id"], "paid")]
    assert "Checked 1 contract(s): 0 with differences" in reconcile(app)


def test_an_unreachable_stripe_is_reported_not_fatal(app, running):
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"
    report = reconcile(app, status=2)
    assert "not checked (stripe: subscription.retrieve)" in report
    assert "1 not reachable at Stripe" in report
