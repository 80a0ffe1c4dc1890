"""Both sign-ins through the browser: HR with the demo login, staff with a TOTP code."""

import pyotp

from eap import demo

DEMO_ADMIN_EMAIL, _, _, DEMO_ADMIN_SECRET = next(s for s in demo.DEMO_STAFF if s[2] == "admin")


def sign_in(page, email: str, password: str) -> None:
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit], main form input[type=submit]").click()


def test_hr_sign_in_and_out(page, visit, check_page, live_server):
    visit(page, "/hr/login")
    sign_in(page, demo.DEMO_HR_EMAIL, demo.DEMO_PASSWORD)
    assert page.url == live_server("/hr/")
    assert page.locator("h1").inner_text() == "Musterfirma GmbH"
    assert demo.DEMO_HR_EMAIL in page.locator("main").inner_text()
    check_page(page)

    with page.expect_navigation():
        page.locator("form[action='/hr/logout'] button").click()
    check_page(page)
    # Signed out: the employer area sends the visitor back to the sign-in page.
    page.goto(live_server("/hr/"))
    assert page.url.startswith(live_server("/hr/login"))


def test_hr_wrong_password_stays_on_the_form(page, visit, check_page, live_server):
    visit(page, "/hr/login")
    sign_in(page, demo.DEMO_HR_EMAIL, "not-the-password")
    assert page.url == live_server("/hr/login")
    check_page(page)  # the error message is accessible too


def test_staff_sign_in_with_totp(page, visit, check_page, live_server):
    visit(page, "/staff/login")
    sign_in(page, DEMO_ADMIN_EMAIL, demo.DEMO_PASSWORD)
    assert page.url == live_server("/staff/login/code")
    check_page(page)
    # The password alone opens nothing.
    page.goto(live_server("/staff/"))
    assert page.url.startswith(live_server("/staff/login"))
    page.goto(live_server("/staff/login/code"))

    page.fill("#code", pyotp.TOTP(DEMO_ADMIN_SECRET).now())
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert page.url == live_server("/staff/")
    assert "Anna Admin" in page.locator("h1").inner_text()
    check_page(page)

    with page.expect_navigation():
        page.locator("form[action='/staff/logout'] button").click()
    assert page.url == live_server("/staff/login")
    check_page(page)


def test_first_staff_sign_in_enrols_totp(page, visit, check_page, live_server, make_staff):
    from tests.conftest import PASSWORD

    staff = make_staff(role="triage", enrolled=False, email="neu@igus-test.example")
    visit(page, "/staff/login")
    sign_in(page, staff.email, PASSWORD)
    assert page.url == live_server("/staff/totp/enrol")
    check_page(page)
    qr = page.locator("figure.qr img")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code is shown"

    secret = page.locator("code.secret").inner_text().strip()
    page.fill("#code", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    codes = page.locator("ul.recovery-codes code").all_inner_texts()
    assert len(codes) >= 5 and all(codes)
    check_page(page)

    page.locator("main a[role=button]").click()
    page.wait_for_url(live_server("/staff/"))
    check_page(page)
