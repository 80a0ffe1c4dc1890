"""A case from request to closing in a real browser: requester → triage → counsellor → requester
→ counsellor; axe-core (WCAG 2.1 A/AA) on every page on the way."""

from __future__ import annotations

import pyotp

from tests.browser.conftest import PageGuard
from tests.browser.requester_flow import sign_up_and_ask, submit
from tests.conftest import PASSWORD


def staff_sign_in(page, visit, check_page, member) -> None:
    visit(page, "/staff/login")
    page.fill("#email", member.email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    check_page(page)
    page.locator("input[name=code]").fill(pyotp.TOTP(member.totp_secret).now())
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    check_page(page)


def test_case_journey(browser, base_url, live_server, visit, check_page, make_contract,
                      make_access_code, make_organisation, make_staff, page):
    organisation = make_organisation()
    make_contract(organisation=organisation)
    _code, plain = make_access_code(organisation)
    triage = make_staff(role="triage", name="Tara Triage")
    counsellor = make_staff(role="counsellor", name="Cem Counsellor", languages="de",
                            specialties="stress")

    # the requester asks for help (the requester journey's steps, shortened)
    public_id = sign_up_and_ask(page, visit, check_page, plain, "Ich schlafe nicht mehr.")
    case_url = f"/help/requests/{public_id}"

    # triage assigns it
    # a second browser (own cookies), watched like ``page``
    staff_context = browser.new_context(bypass_csp=True, locale="de-DE", base_url=base_url)
    staff_page = staff_context.new_page()
    staff_page._eap_guard = PageGuard(staff_page, live_server)  # type: ignore[attr-defined]
    staff_sign_in(staff_page, visit, check_page, triage)
    visit(staff_page, "/staff/cases/")
    assert public_id in staff_page.content()
    visit(staff_page, f"/staff/cases/{public_id}/assign")
    staff_page.locator(f"input[type=radio][value='{counsellor.id}']").check()
    submit(staff_page, check_page, "main form button[type=submit]")
    staff_page.context.clear_cookies()

    # the counsellor replies
    staff_sign_in(staff_page, visit, check_page, counsellor)
    visit(staff_page, "/staff/cases/mine")
    visit(staff_page, f"/staff/cases/{public_id}")
    assert "Ich schlafe nicht mehr." in staff_page.locator("main").inner_text()
    staff_page.locator("#reply-body").fill("Ich melde mich morgen telefonisch.")
    submit(staff_page, check_page, "form[action$='/reply'] button[type=submit]")

    # the requester reads and answers
    visit(page, case_url)
    assert "Ich melde mich morgen telefonisch." in page.locator("main").inner_text()
    page.locator("textarea[name=body]").fill("Danke, passt.")
    submit(page, check_page, "form[action$='/reply'] [type=submit]")

    # the counsellor reads the answer and closes the case
    visit(staff_page, f"/staff/cases/{public_id}")
    assert "Danke, passt." in staff_page.locator("main").inner_text()
    staff_page.locator("#action-close > summary").click()  # one action group open at a time
    assert staff_page.locator("#action-reply").get_attribute("open") is None
    staff_page.locator("#close-outcome").select_option("resolved")
    submit(staff_page, check_page, "form[action$='/close'] button[type=submit]")
    assert staff_page.url.endswith(f"/staff/cases/{public_id}")
    visit(page, case_url)
    staff_page._eap_guard.assert_clean()  # type: ignore[attr-defined]
    staff_context.close()
