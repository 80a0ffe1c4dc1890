"""The requester's whole journey in a real browser, in German and in Arabic (right-to-left).

Every page is checked with axe-core (WCAG 2.1 A/AA), for console errors and foreign requests.
"""

import pytest

PASSPHRASE = "purple tractor whistles at midnight"


@pytest.mark.parametrize(("language", "button", "danger"), [
    ("de", "Deutsch", "no"),
    ("ar", "العربية", "yes"),
])
def test_requester_journey(page, visit, check_page, make_contract, make_access_code,
                           make_organisation, language, button, danger):
    organisation = make_organisation()
    make_contract(organisation=organisation)
    _code, plain = make_access_code(organisation)

    visit(page, f"/help/access?code={plain}")  # the poster link: language choice first
    page.get_by_role("button", name=button, exact=True).click()
    check_page(page)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.locator("input[name=code]").input_value() == plain

    # The proof-of-work widget solves while the page is open; a click before it is done waits
    # for it (static/js/proof_of_work.js), so the navigation may start a moment later.
    with page.expect_navigation():
        page.locator("form[action$='/help/access'] [type=submit]").click()
    check_page(page)
    case_key = page.locator("p.access-code code").inner_text()
    assert len(case_key.replace("-", "")) >= 16
    page.locator("input[name=saved]").check()
    page.locator("main [type=submit]").click()
    check_page(page)

    page.locator("input[name=requester_type][value=employee]").check()
    page.locator("input[name=passphrase]").fill(PASSPHRASE)
    page.locator("input[name=confirm]").fill(PASSPHRASE)
    with page.expect_navigation():
        page.locator("main [type=submit]").click()
    check_page(page)
    assert page.locator("p.access-code code").count() == 1  # the recovery code, once

    page.locator("main a.cta-link").click()
    check_page(page)  # the crisis question comes first
    page.locator(f"main button[name=danger][value={danger}]").click()
    check_page(page)
    if danger == "yes":
        crisis = page.locator("section.emergency-full")
        assert crisis.is_visible() and "112" in crisis.inner_text()
        first = page.locator("main > *").first
        assert "emergency" in (first.get_attribute("class") or "")

    page.locator("input[name=area][value=psychological]").check()
    page.locator("select[name=topic]").select_option("stress")
    page.locator("input[name=for_whom][value=self]").check()
    page.locator("textarea[name=description]").fill("<script>alert(1)</script> Hilfe bitte")
    page.locator("form[action$='/help/requests/new'] [type=submit]").click()
    check_page(page)
    assert "/sent" in page.url

    page.locator("main a.cta-link").click()
    check_page(page)
    assert "<script>alert(1)</script> Hilfe bitte" in page.locator("main").inner_text()
    page.locator("textarea[name=body]").fill("Danke")
    page.locator("form[action$='/reply'] [type=submit]").click()
    check_page(page)
    assert "Danke" in page.locator("main").inner_text()

    visit(page, "/help/requests/")
    visit(page, "/help/account/data")
    visit(page, "/help/account/notifications")
    visit(page, "/help/account/delete")
    page.locator("input[name=understood]").check()
    page.locator("main [type=submit]").click()
    check_page(page)
    visit(page, "/help/sign-in")
