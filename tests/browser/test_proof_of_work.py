"""The proof of work of the anonymous steps in a real browser: with JavaScript a person who
presses the button at once goes on without noticing it; without JavaScript the step waits a few
seconds and keeps what was typed (issue 26; SECURITY.md, "Third round")."""

import pytest

pytestmark = pytest.mark.browser


def _code(make_contract, make_access_code, make_organisation) -> str:
    organisation = make_organisation()
    make_contract(organisation=organisation)
    return make_access_code(organisation)[1]


@pytest.mark.parametrize("language", ["de", "ar"])
def test_an_immediate_click_goes_on_without_noticing(page, visit, check_page, make_contract,
                                                     make_access_code, make_organisation,
                                                     language):
    plain = _code(make_contract, make_access_code, make_organisation)
    visit(page, f"/help/?next=/help/access%3Fcode%3D{plain}")
    with page.expect_navigation():
        page.locator(f"main button[value='{language}']").click()
    check_page(page)  # the widget is axe-clean, in Arabic too
    assert page.locator("altcha-widget").count() == 1
    with page.expect_navigation():
        page.locator("form[action$='/help/access'] [type=submit]").click()  # at once
    check_page(page)
    assert page.url.endswith("/help/account/new")  # the case key page, not "press again"


def test_without_javascript_the_step_waits_and_keeps_the_code(browser, base_url, live_server,
                                                               make_contract, make_access_code,
                                                               make_organisation):
    plain = _code(make_contract, make_access_code, make_organisation)
    context = browser.new_context(java_script_enabled=False, locale="de-DE", base_url=base_url)
    try:
        page = context.new_page()
        page.goto(f"/help/?next=/help/access%3Fcode%3D{plain}")
        page.locator("main button[value='de']").click()
        page.locator("form[action$='/help/access'] [type=submit]").click()  # too early
        assert page.url.endswith("/help/access")
        assert "Zu Ihrem Schutz dauert dieser Schritt ein paar Sekunden" in \
            page.locator("main").inner_text()
        assert page.locator("input[name=code]").input_value() == plain  # nothing lost
        page.wait_for_timeout(live_server.app.config["POW_NOJS_WAIT"] * 1000 + 300)
        page.locator("form[action$='/help/access'] [type=submit]").click()
        assert page.url.endswith("/help/account/new")
        assert page.locator("p.access-code code").count() == 1
    finally:
        context.close()
