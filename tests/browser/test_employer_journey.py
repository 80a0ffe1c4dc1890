"""Sign-up → e-mail verification → package and seats → Stripe handoff → signed completion
webhook → active contract → poster with a QR code of the access link (axe on every page)."""

import json
import re
import urllib.request

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
    process, port = stripe_env.start_localstripe()
    stand_in = stripe_env.StandIn(port)
    config = live_server.app.config
    saved = {k: config.get(k) for k in ("STRIPE_API_BASE", "STRIPE_SECRET_KEY",
                                        "STRIPE_WEBHOOK_SECRET", "MAIL_SERVER", "MAIL_PORT")}
    config.update(STRIPE_API_BASE=stand_in.url, STRIPE_SECRET_KEY=stripe_env.API_KEY,
                  STRIPE_WEBHOOK_SECRET=stripe_env.WEBHOOK_SECRET, **mailbox.settings)
    stand_in.add_price("plus", "month", 400)
    yield stand_in
    config.update(saved)
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
    assert href.startswith(stripe_live.url + "/checkout/cs_test_")
    # Stripe's page is another host: open it outside the guarded page.
    stripe_page = page.context.new_page()
    stripe_page.goto(href)
    assert stripe_page.title() == "Stand-in checkout"
    stripe_page.close()

    with app.app_context():
        contract = db.session.scalar(
            sa.select(Contract).join(Organisation).where(Organisation.name == "Muster Pflege gGmbH")
        )
        contract_id, customer = contract.id, contract.stripe_customer_id
    session = {"id": "cs_test_1", "object": "checkout.session", "mode": "subscription",
               "client_reference_id": str(contract_id), "customer": customer,
               "subscription": "sub_live1", "payment_status": "paid"}
    body = json.dumps(stripe_env.event("checkout.session.completed", session)).encode()
    request = urllib.request.Request(live_server("/stripe/webhook"), data=body, headers={
        "Stripe-Signature": stripe_env.sign(body), "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:  # noqa: S310 (local live server)
        assert answer.status == 200

    visit(page, "/hr/contract/")
    assert page.get_attribute("[data-testid=status]", "data-status") == "active"

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
    # Printed: one A4 page, the QR code at least 100 mm wide (issue 16: the free fifth).
    page.emulate_media(media="print")
    assert page.locator(".poster-qr").bounding_box()["width"] >= 100 / 25.4 * 96
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "the poster prints on one page"
    page.emulate_media(media="screen")

    # The team page with its per-member role form passes axe too; the owner invites a colleague.
    visit(page, "/hr/team/")
    check_page(page)
    page.fill("#email", "kollegin@muster.example")
    page.select_option("#role", "manager")
    page.click("#submit")
    check_page(page)
    assert "/hr/team/join/" in mailbox.body("kollegin@muster.example")
