"""Visitor → packages → "choose this package" → sign-up → e-mail verification → the order with
the package chosen and seats prefilled → terms and AVV ticked → Stripe handoff → the development
"test payment" page → signed webhooks from the local emulator → active contract with its paid
invoice → order confirmation (e-mail and PDF) → announcement kit with copy buttons → poster with
a QR code of the access link (axe on every page)."""

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
    visit(page, "/")
    page.click("a[href='/packages']")
    check_page(page)
    assert "brutto" in page.inner_text("main")  # net and gross prices
    page.click("a[data-package=plus]")  # "choose this package"
    check_page(page)
    assert "Plus" in page.inner_text(".chosen-package")
    for field, value in {
        "name": "Muster Pflege gGmbH", "street": "Hauptstraße 1", "postcode": "57072",
        "city": "Siegen", "vat_id": "DE136695976", "billing_email": "rechnung@muster.example",
        "employee_count": "120", "contact_name": "Erika Muster", "email": "erika@muster.example",
        "password": "ein langer satz als passwort", "confirm": "ein langer satz als passwort",
    }.items():
        page.fill(f"#{field}", value)
    page.click("#submit")
    check_page(page)
    # The demo employer has this VAT ID: a warning with a box to sign up anyway.
    assert "bereits eine andere Organisation" in page.inner_text(".error-summary")
    assert "Plus" in page.inner_text(".chosen-package")  # the choice survives the round trip
    page.check("#vat_confirm")
    for field in ("password", "confirm"):
        page.fill(f"#{field}", "ein langer satz als passwort")
    page.click("#submit")
    check_page(page)
    link = re.search(r"http://\S+(/hr/verify/\S+)", mailbox.body("erika@muster.example"))
    visit(page, link.group(1))
    page.click("main form button, main form [type=submit]")
    check_page(page)

    # Straight to the order: the chosen package is selected, seats = the employee count.
    assert "/hr/contract/new" in page.url
    assert page.locator("input[name=package]").nth(1).is_checked()  # the demo's "Plus"
    assert page.input_value("#seats") == "120"
    page.fill("#seats", "50")
    page.click("#submit")
    check_page(page)
    assert "238,00" in page.inner_text("[data-testid=gross]")  # 50 × 4 € + 19 % VAT
    # The terms and the AVV must be accepted with a tick before the order can be sent.
    page.click("main form button[type=submit]")
    assert "/hr/contract/new/review" in page.url  # the browser refused: box not ticked
    page.check("#accept_terms")
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

    # The order confirmation: e-mail to the billing address, page and PDF.
    confirmation = mailbox.body("rechnung@muster.example")
    assert f"EAP-{contract.id:06d}" in confirmation and "Plus" in confirmation
    page.click("[data-testid=order-link]")
    check_page(page)
    assert page.locator("[data-testid=order-confirmed]").is_visible()
    pdf = page.request.get(live_server(page.get_attribute("[data-testid=order-pdf]", "href")))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # The announcement kit: ready texts with the code, one click copies each.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                   origin=live_server.url)
    page.click("[data-testid=to-kit]")
    check_page(page)
    code_text = page.inner_text("[data-testid=code]").strip()
    page.click("button[data-copy=kit-email-en]")
    page.wait_for_function("() => document.getElementById('copy-status').textContent !== ''")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert code_text in copied and copied.startswith("Subject:")

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
    # Printed: one A4 page, the QR code at least 100 mm wide (issue 16: the free fifth).
    page.emulate_media(media="print")
    assert page.locator(".poster-qr").bounding_box()["width"] >= 100 / 25.4 * 96
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "the poster prints on one page"
    page.emulate_media(media="screen")

    # The accepted terms, with their versions and PDFs.
    visit(page, "/hr/terms/")
    assert "2026-12" in page.inner_text("main table")

    # The team page with its per-member role form passes axe too; the owner invites a colleague.
    visit(page, "/hr/team/")
    check_page(page)
    page.fill("#email", "kollegin@muster.example")
    page.select_option("#role", "manager")
    page.click("#submit")
    check_page(page)
    assert "/hr/team/join/" in mailbox.body("kollegin@muster.example")
