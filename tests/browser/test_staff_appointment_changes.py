"""Staff move and cancel a requester's appointment in a real browser (the counsellor is ill):
the case page's controls, the day view's cancel button and the requester's notice, each page
checked by axe-core (WCAG 2.1 A/AA), the requester's also in Arabic (RTL)."""

from __future__ import annotations

from tests.browser.conftest import PageGuard
from tests.browser.requester_flow import submit
from tests.browser.test_appointments import _ask_and_assign, _day_of
from tests.browser.test_case_journey import staff_sign_in
from tests.counselling.appointment_helpers import open_every_day


def test_triage_moves_and_the_counsellor_cancels(
    app, browser, base_url, live_server, visit, check_page, make_contract, make_access_code,
    make_organisation, make_staff, page,
):
    organisation = make_organisation()
    make_contract(organisation=organisation)
    _code, plain = make_access_code(organisation)
    counsellor = make_staff(role="counsellor", name="Cem Counsellor")
    open_every_day(app, counsellor.id)
    public_id = _ask_and_assign(app, page, visit, check_page, plain, counsellor)
    visit(page, f"/help/requests/{public_id}/appointment")
    page.locator("input[name=slot]").nth(0).check()
    submit(page, check_page, "form.appointment-form button[type=submit]")

    context = browser.new_context(bypass_csp=True, locale="de-DE", base_url=base_url)
    staff_page = context.new_page()
    staff_page._eap_guard = PageGuard(staff_page, live_server)  # type: ignore[attr-defined]
    staff_sign_in(staff_page, visit, check_page, make_staff(role="triage"))
    visit(staff_page, f"/staff/cases/{public_id}")
    options = staff_page.locator("#move-slot option")
    moved_to = options.nth(3).get_attribute("value")
    staff_page.locator("#move-slot").select_option(moved_to)
    submit(staff_page, check_page, "form[action$='/move'] button[type=submit]")
    assert "verschoben" in staff_page.locator("main").inner_text()

    visit(page, f"/help/requests/{public_id}/appointment")
    assert "verschieben" in page.locator("#appointment-changed").inner_text()
    visit(page, "/language/ar?next=" + f"/help/requests/{public_id}/appointment", status=200)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#appointment-changed").count() == 1

    context.close()
    context = browser.new_context(bypass_csp=True, locale="de-DE", base_url=base_url)
    staff_page = context.new_page()
    staff_page._eap_guard = PageGuard(staff_page, live_server)  # type: ignore[attr-defined]
    staff_sign_in(staff_page, visit, check_page, counsellor)
    visit(staff_page, f"/staff/appointments/?day={_day_of(moved_to)}")
    submit(staff_page, check_page, "form[action$='/cancel'] button[type=submit]")
    assert public_id[:6] not in staff_page.locator("main").inner_text()
    visit(page, f"/help/requests/{public_id}/appointment")
    assert page.locator("#appointment-changed").count() == 1
    assert page.locator("form[action$='/appointment/cancel']").count() == 0
    staff_page._eap_guard.assert_clean()  # type: ignore[attr-defined]
    context.close()
