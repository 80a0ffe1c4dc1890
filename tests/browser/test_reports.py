"""The HR usage report and the admin service figures in Chromium, checked with axe-core."""

from __future__ import annotations

import pytest

from tests.browser.test_admin import sign_in_as_admin
from tests.conftest import PASSWORD
from tests.reports.conftest import add_requests, in_quarter, last_quarter, long_ago
from tests.requests.conftest import PASSPHRASE


def test_hr_report_in_the_browser(page, visit, check_page, live_server, app, make_organisation,
                                  make_contract, make_access_code, make_hr_user):
    organisation = make_organisation(name="Bericht GmbH")
    make_contract(organisation=organisation, seats=1000, created_at=long_ago())
    code, _plain = make_access_code(organisation)
    add_requests(app, organisation, 14, at=in_quarter(last_quarter()), code=code)
    add_requests(app, organisation, 3, at=in_quarter(last_quarter()), code=code, area="social")
    manager = make_hr_user(organisation=organisation, role="manager")

    visit(page, "/hr/login")
    page.fill("#email", manager.email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    with page.expect_navigation():
        page.locator("main a[href='/hr/reports/']").click()
    check_page(page)
    main = page.locator("main").inner_text()
    assert "Rauschen" in main and "< 5" not in main  # German: the noise is explained
    assert "90-%-Bereich" in main  # every number with its range
    # the summary and the yearly breakdowns of a 1,000-seat organisation (topic group and
    # requester type; the area from the first year counted with y_area)
    assert page.locator("main svg[role=img]").count() >= 3
    # the quarter picker works without JavaScript
    page.select_option("#quarter", last_quarter())
    with page.expect_navigation():
        page.locator("main form[method=get] button[type=submit]").click()
    check_page(page)


def test_hr_report_before_a_quarter_has_ended(page, visit, app, make_hr_user, make_contract,
                                              make_organisation):
    organisation = make_organisation()
    make_contract(organisation=organisation)  # starts now
    owner = make_hr_user(organisation=organisation, role="owner")
    visit(page, "/hr/login")
    page.fill("#email", owner.email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    visit(page, "/hr/reports/")
    assert page.locator("#not-yet").count() == 1
    sample = page.locator("[data-testid=sample-report]")
    assert sample.count() == 1 and "Beispielbericht" in sample.inner_text()


def test_admin_figures_in_the_browser(page, visit, check_page, live_server, app, make_staff,
                                      make_organisation, make_contract):
    organisation = make_organisation(name="Zahlen AG")
    make_contract(organisation=organisation, seats=80)
    add_requests(app, organisation, 5, area="medical")
    admin = make_staff(role="admin", name="Figures Admin")
    sign_in_as_admin(page, visit, live_server, admin)
    with page.expect_navigation():
        page.locator("main a[href='/staff/figures/']").click()
    check_page(page)
    # Charts without a row are left out: no counsellors and no answered requests here.
    assert page.locator("main svg[role=img]").count() == 3
    # The tables sit behind <details> (compact page): open one, as a reader would.
    page.locator("#organisations-title ~ details > summary").click()
    assert "Zahlen AG" in page.locator("main").inner_text()
    check_page(page)



@pytest.mark.parametrize(("language", "heading"), [
    ("de", "Was Ihr Arbeitgeber sieht"), ("ar", "ما يراه صاحب العمل"),
])
def test_what_the_employer_sees_in_the_browser(page, visit, check_page, app, make_organisation,
                                               make_contract, make_access_code, language,
                                               heading):
    """The requester's view of the employer report: reached from the welcome page, axe-clean."""
    organisation = make_organisation(name="Transparenz gGmbH")
    make_contract(organisation=organisation, seats=1000, created_at=long_ago())
    code, plain = make_access_code(organisation)
    add_requests(app, organisation, 40, at=in_quarter(last_quarter()), code=code)
    visit(page, f"/help/access?code={plain}")
    page.locator(f"button[value={language}]").click()
    page.locator("form[action$='/help/access'] [type=submit]").click()
    page.locator("input[name=saved]").check()
    page.locator("main [type=submit]").click()
    page.locator("input[name=requester_type][value=employee]").check()
    page.locator("input[name=passphrase]").fill(PASSPHRASE)
    page.locator("input[name=confirm]").fill(PASSPHRASE)
    page.locator("main [type=submit]").click()
    with page.expect_navigation():
        page.locator("main a[href='/help/account/employer-report']").click()
    check_page(page)
    assert page.locator("h1").inner_text() == heading
    assert page.locator("main svg[role=img]").count() >= 1
    assert page.locator("main table").count() >= 2
    assert page.locator("[data-testid=privacy-receipt]").count() == 1
