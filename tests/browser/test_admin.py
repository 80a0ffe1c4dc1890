"""The administration pages in Chromium: sign in, keep packages and staff, read the overviews.

Every page is checked by ``visit``/``check_page``: HTTP status, no console errors, no request
to another host, zero axe-core WCAG 2.1 A/AA violations.
"""

from __future__ import annotations

import pyotp
import sqlalchemy as sa

from eap.extensions import db
from eap.packages.models import ServicePackage
from eap.staff.models import StaffUser
from tests.conftest import PASSWORD


def sign_in_as_admin(page, visit, live_server, admin) -> None:
    visit(page, "/staff/login")
    page.fill("#email", admin.email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    page.fill("#code", pyotp.TOTP(admin.totp_secret).now())
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert page.url == live_server("/staff/")


def submit(page) -> None:
    with page.expect_navigation():
        page.locator("main form[method=post] [type=submit]").first.click()


def test_admin_keeps_packages_and_staff(page, visit, check_page, live_server, app, make_staff):
    admin = make_staff(role="admin", name="Browser Admin")
    sign_in_as_admin(page, visit, live_server, admin)
    check_page(page)
    with page.expect_navigation():
        page.locator("main a[href='/staff/admin/packages/']").click()
    check_page(page)
    assert "flask --app eap sync-stripe" in page.locator("main").inner_text()

    # A new package, with a mistake first: the message is shown and accessible.
    visit(page, "/staff/admin/packages/new")
    page.fill("#slug", "browser-paket")
    page.fill("#name_de", "Browserpaket")
    page.fill("#name_en", "Browser package")
    page.fill("#description_de", "Beratung im Test.")
    page.fill("#description_en", "Counselling in a test.")
    page.check("#areas-1")
    page.fill("#response_hours", "24")
    page.fill("#urgent_response_hours", "8")
    page.fill("#price_month_cents", "4,555")
    page.fill("#price_year_cents", "49,90")
    submit(page)
    assert page.locator(".field-error").count() == 1
    check_page(page)
    page.fill("#price_month_cents", "4,50")
    submit(page)
    assert page.url == live_server("/staff/admin/packages/")
    check_page(page)
    with app.app_context():
        package = db.session.scalar(
            sa.select(ServicePackage).where(ServicePackage.slug == "browser-paket")
        )
        assert (package.price_month_cents, package.price_year_cents) == (450, 4990)
        assert package.areas == "psychological"

    # Retire it from the list with the keyboard-reachable button.
    with page.expect_navigation():
        page.get_by_role("button", name="Browserpaket").click()
    check_page(page)
    with app.app_context():
        assert db.session.get(ServicePackage, package.id).active is False
    visit(page, f"/staff/admin/packages/{package.id}")

    # A counsellor's languages, specialties and capacity.
    counsellor = make_staff(role="counsellor", name="Browser Counsellor")
    visit(page, f"/staff/admin/staff/{counsellor.id}")
    page.check("input[name=languages][value=tr]")
    page.check("input[name=specialties][value=debt]")
    page.fill("#fte", "0,5")
    page.fill("#yearly_capacity", "")
    submit(page)
    assert page.url == live_server("/staff/admin/staff/")
    check_page(page)
    with app.app_context():
        changed = db.session.get(StaffUser, counsellor.id)
        assert "tr" in changed.language_list and "debt" in changed.specialty_list
        assert (changed.fte, changed.yearly_capacity) == (0.5, 150)

    visit(page, "/staff/admin/staff/new")


def test_admin_overviews_are_accessible(
    page, visit, check_page, live_server, make_staff, make_contract
):
    admin = make_staff(role="admin")
    make_contract(seats=25)
    sign_in_as_admin(page, visit, live_server, admin)
    visit(page, "/staff/admin/")
    visit(page, "/staff/admin/organisations/?status=active&sort=status")
    assert page.locator("#total-mrr").inner_text().strip() != ""
    visit(page, "/staff/admin/audit/?action=staff.")
    assert "staff.sign_in" in page.locator("main table").inner_text()
    from eap.employers.offer_models import OfferRequest
    from tests.conftest import persist

    persist(live_server.app, OfferRequest(
        organisation="Diakonie Musterstadt", employee_count=2400, contact_name="Max Muster",
        email="max@diakonie.example", message="Wir haben 14 Standorte."))
    visit(page, "/staff/admin/offers")
    assert "Diakonie Musterstadt" in page.locator("main").inner_text()
    visit(page, "/staff/admin/audit/?action=staff.")
    page.fill("#date_from", "2020-01-01")
    with page.expect_navigation():
        page.locator("main form[method=get] [type=submit]").click()
    assert "date_from=2020-01-01" in page.url
    check_page(page)

