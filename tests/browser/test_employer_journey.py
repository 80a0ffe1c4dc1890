"""Sign-up → e-mail verification → package and seats → Stripe handoff → the development
"test payment" page → signed webhooks from the local emulator → active contract with its paid
invoice → poster with a QR code of the access link (axe on every page)."""

import re

import pytest
import sqlalchemy as sa
from flask_babel import gettext

from eap.billing.models import Contract
from eap.employers.models import Organisation
from eap.employers.poster import qr_svg
from eap.extensions import db
from tests.billing import stripe_env
from tests.qr import decode_png

pytestmark = pytest.mark.stripe


@pytest.fixture
def stripe_live(live_server, mailbox):
    """The emulator as ``make run`` starts it: catalogue from sync-stripe, webhooks signed."""
    process, port = stripe_env.start_localstripe()
    stand_in = stripe_env.StandIn(port, with_vat_rate=False)
    stand_in.webhook = (live_server("/stripe/webhook"), stripe_env.WEBHOOK_SECRET)
    config = live_server.app.config
    saved = {k: config.get(k) for k in ("STRIPE_API_BASE", "STRIPE_SECRET_KEY",
                                        "STRIPE_WEBHOOK_SECRET", "MAIL_SERVER", "MAIL_PORT")}
    config.update(STRIPE_API_BASE=stand_in.url, STRIPE_SECRET_KEY=stripe_env.API_KEY,
                  STRIPE_WEBHOOK_SECRET=stripe_env.WEBHOOK_SECRET, **mailbox.settings)
    with live_server.app.app_context():
        result = live_server.app.test_cli_runner().invoke(args=["sync-stripe"])
    assert result.exit_code == 0 and "plus: product eap_plus" in result.output, result.output
    yield stand_in
    config.update(saved)
    live_server.app.extensions.pop("eap_vat_rate", None)
    stand_in.stop()
    process.terminate()
    process.wait(timeout=10)


def test_employer_journey(page, app, live_server, visit, check_page, stripe_live, mailbox):
    visit(page, "/hr/signup")
    for field, value in {
        "name": "Muster Pflege gGmbH", "street": "Hauptstraße 1", "postcode": "57072",
        "city": "Siegen", "vat_id": "DE136695976", "billing_email": "rechnung@muster.example",
        "employee_count": "120", "contact_name": "Erika Muster", "email": "erika@muster.example",
        "password": "ein langer satz als passwort", "confirm": "ein langer satz als passwort",
    }.items():
        page.fill(f"#{field}", value)
    page.click("#submit")
    check_page(page)
    link = re.search(r"http://\S+(/hr/verify/\S+)", mailbox.body("erika@muster.example"))
    visit(page, link.group(1))
    page.click("main form button, main form [type=submit]")
    check_page(page)

    visit(page, "/hr/contract/new")
    page.locator("input[name=package]").nth(1).check()  # the demo's "Plus"
    page.fill("#seats", "50")
    page.click("#submit")
    check_page(page)
    assert "238,00" in page.inner_text("[data-testid=gross]")  # 50 × 4 € + 19 % VAT
    page.click("main form button[type=submit]")
    check_page(page)
    href = page.get_attribute("#stripe-link", "href")
    # In development the hosted checkout is the portal's own "test payment" page ...
    assert href.startswith(live_server("/dev/test-payment/cs_test_"))
    page.click("#stripe-link")
    check_page(page)
    assert "200,00" in page.inner_text("[data-testid=amount]")
    # ... which completes the payment by having the emulator send signed webhooks.
    page.click("#test-pay")
    check_page(page)
    assert page.get_attribute("[data-testid=status]", "data-status") == "active"
    invoice_rows = page.locator("section[aria-labelledby=invoices-title] tbody tr")
    assert invoice_rows.count() == 1
    assert "bezahlt" in invoice_rows.first.inner_text()
    with app.app_context():
        contract = db.session.scalar(
            sa.select(Contract).join(Organisation).where(Organisation.name == "Muster Pflege gGmbH")
        )
        assert (contract.seats, contract.status) == (50, "active")
        assert contract.stripe_subscription_id in {
            s["subscription"] for s in stripe_live.sessions.values()}

    # A seat change shows its cost (Stripe's preview) before it is confirmed ...
    page.fill("#seats", "60")
    page.locator("form[method=get] [type=submit]").click()
    check_page(page)
    assert page.locator("[data-testid=next-invoice]").count() == 1
    page.click("#confirm-seats")
    check_page(page)
    assert page.inner_text("[data-testid=seats]").strip() == "60"
    # ... and cancelling asks first, naming the last day of access.
    page.click("a[href$='/hr/contract/cancel']")
    check_page(page)
    assert page.locator("[data-testid=access-until]").count() == 1
    page.click("#confirm-cancel")
    check_page(page)
    assert page.get_attribute("[data-testid=status]", "data-status") == "cancelled"
    visit(page, "/hr/contract/")  # access lasts until the end of the paid period

    visit(page, "/hr/access/")
    code = page.inner_text("[data-testid=code]").replace("-", "").strip()
    page.click("a[href*=\"/poster\"][href*=\"lang=en\"]")  # the English poster
    check_page(page)
    assert page.evaluate("() => document.querySelector('.poster-qr').naturalWidth") > 0
    # What Chromium draws on the poster decodes, with a QR reader, to the access link.
    drawn = decode_png(page.locator(".poster-qr").screenshot())
    qr_url = live_server(page.get_attribute(".poster-qr", "src"))
    served = page.request.get(qr_url).body()
    expected_link = f"{live_server.url}/help/access?code={code}"
    assert drawn == [expected_link]
    assert expected_link in page.content()
    with app.test_request_context():
        # The image is fetched in the visitor's language (German), its title too.
        assert served == qr_svg(expected_link, gettext("QR code of the access link"))

    # The team page with its per-member role form passes axe too; the owner invites a colleague.
    visit(page, "/hr/team/")
    check_page(page)
    page.fill("#email", "kollegin@muster.example")
    page.select_option("#role", "manager")
    page.click("#submit")
    check_page(page)
    assert "/hr/team/join/" in mailbox.body("kollegin@muster.example")
