"""Appointments in a real browser: a requester books, moves and cancels; the counsellor sees it
in their day; axe-core (WCAG 2.1 A/AA) on every page on the way, also in Arabic (RTL)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from eap.extensions import db
from eap.requests.deadlines import BERLIN
from eap.requests.models import HelpRequest
from tests.browser.conftest import PageGuard
from tests.browser.requester_flow import PASSPHRASE, sign_up_and_ask, submit
from tests.browser.test_case_journey import staff_sign_in
from tests.counselling.appointment_helpers import open_every_day


def _ask_and_assign(app, page, visit, check_page, plain: str, counsellor) -> str:
    """A new request (``sign_up_and_ask``), already with ``counsellor``; returns its id."""
    public_id = sign_up_and_ask(page, visit, check_page, plain, "Ich brauche einen Termin.")
    with app.app_context():
        case = db.session.scalar(sa.select(HelpRequest).where(HelpRequest.public_id == public_id))
        case.assigned_staff_id, case.status = counsellor.id, "in_progress"
        db.session.commit()
    return public_id


def _day_of(slot_key: str) -> str:
    start = datetime.strptime(slot_key, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    return start.astimezone(BERLIN).date().isoformat()


def test_book_move_cancel_and_the_counsellors_day(
    app, browser, base_url, live_server, visit, check_page, make_contract, make_access_code,
    make_organisation, make_staff, page,
):
    organisation = make_organisation()
    make_contract(organisation=organisation)
    _code, plain = make_access_code(organisation)
    counsellor = make_staff(role="counsellor", name="Cem Counsellor")
    open_every_day(app, counsellor.id)
    public_id = _ask_and_assign(app, page, visit, check_page, plain, counsellor)

    # from the request page to the appointment page; book a video appointment
    visit(page, f"/help/requests/{public_id}")
    submit(page, check_page, "a[href$='/appointment']")
    radios = page.locator("input[name=slot]")
    first = radios.nth(0).get_attribute("value")
    page.locator("input[name=modality][value=video]").check()
    radios.nth(0).check()
    submit(page, check_page, "form.appointment-form button[type=submit]")
    assert "Ihr Termin ist gebucht." in page.locator("main").inner_text()
    assert "Videoanruf" in page.locator("main").inner_text() or "Video" in page.content()

    # the counsellor sees it in their day
    staff_context = browser.new_context(bypass_csp=True, locale="de-DE", base_url=base_url)
    staff_page = staff_context.new_page()
    staff_page._eap_guard = PageGuard(staff_page, live_server)  # type: ignore[attr-defined]
    staff_sign_in(staff_page, visit, check_page, counsellor)
    visit(staff_page, f"/staff/appointments/?day={_day_of(first)}")
    assert public_id[:6] in staff_page.locator("main").inner_text()
    visit(staff_page, "/staff/appointments/availability")
    visit(staff_page, f"/staff/cases/{public_id}")
    assert "Termine und Sitzungen" in staff_page.locator("main").inner_text()

    # the requester moves it to another time (the keyboard way: Space on the radio)
    visit(page, f"/help/requests/{public_id}/appointment")
    later = page.locator("input[name=slot]").nth(5)
    moved_to = later.get_attribute("value")
    later.focus()
    page.keyboard.press("Space")
    page.locator("input[name=modality][value=phone]").check()
    submit(page, check_page, "form.appointment-form button[type=submit]")
    assert "Ihr Termin wurde verschoben." in page.locator("main").inner_text()
    visit(staff_page, f"/staff/appointments/?day={_day_of(moved_to)}")
    assert public_id[:6] in staff_page.locator("main").inner_text()

    # ... looks right in Arabic too, then cancels it
    visit(page, "/language/ar?next=" + f"/help/requests/{public_id}/appointment", status=200)
    assert page.locator("html").get_attribute("dir") == "rtl"
    submit(page, check_page, "form[action$='/appointment/cancel'] button[type=submit]")
    assert page.locator("input[name=slot]").count() > 0
    visit(staff_page, f"/staff/appointments/?day={_day_of(moved_to)}")
    assert public_id[:6] not in staff_page.locator("main").inner_text()
    staff_page._eap_guard.assert_clean()  # type: ignore[attr-defined]
    staff_context.close()


def test_phone_intake_then_the_caller_sets_a_passphrase(
    browser, base_url, live_server, visit, check_page, make_contract, make_access_code,
    make_organisation, make_staff, page,
):
    organisation = make_organisation()
    make_contract(organisation=organisation)
    _code, plain = make_access_code(organisation)
    triage = make_staff(role="triage", name="Tara Triage")
    staff_context = browser.new_context(bypass_csp=True, locale="de-DE", base_url=base_url)
    staff_page = staff_context.new_page()
    staff_page._eap_guard = PageGuard(staff_page, live_server)  # type: ignore[attr-defined]
    staff_sign_in(staff_page, visit, check_page, triage)
    visit(staff_page, "/staff/intake/")
    staff_page.locator("input[name=code]").fill(plain)
    staff_page.locator("input[name=area][value=social]").check()
    staff_page.locator("select[name=topic]").select_option("debt")
    staff_page.locator("textarea[name=description]").fill("Schulden, braucht Beratung.")
    submit(staff_page, check_page, "main form button[type=submit]")
    case_key = staff_page.locator("code.case-key").inner_text()
    setup_code = staff_page.locator("code.setup-code").inner_text()
    staff_context.close()

    visit(page, "/help/sign-in")
    submit(page, check_page, "a[href$='/help/set-up']")
    page.locator("input[name=case_key]").fill(case_key)
    page.locator("input[name=setup_code]").fill(setup_code)
    page.locator("input[name=passphrase]").fill(PASSPHRASE)
    page.locator("input[name=confirm]").fill(PASSPHRASE)
    submit(page, check_page, "main form [type=submit]")
    assert page.url.endswith("/help/account/welcome")
    page.context.clear_cookies()
    visit(page, "/help/sign-in")
    page.locator("input[name=case_key]").fill(case_key)
    page.locator("input[name=passphrase]").fill(PASSPHRASE)
    submit(page, check_page, "main form [type=submit]")
    assert page.url.endswith("/help/requests/")


def test_same_counsellor_question_and_referral_follow_up_pages(
    app, visit, check_page, make_contract, make_access_code, make_organisation, make_staff, page,
):
    from eap.counselling.models import CaseReferral, ReferralService

    organisation = make_organisation()
    make_contract(organisation=organisation)
    _code, plain = make_access_code(organisation)
    counsellor = make_staff(role="counsellor", name="Cem Counsellor")
    public_id = _ask_and_assign(app, page, visit, check_page, plain, counsellor)
    with app.app_context():
        case = db.session.scalar(sa.select(HelpRequest).where(HelpRequest.public_id == public_id))
        service = ReferralService(name="Schuldnerberatung Siegen", details="")
        db.session.add(service)
        db.session.flush()
        db.session.add(CaseReferral(case_id=case.id, service_id=service.id,
                                    staff_id=counsellor.id))
        db.session.commit()

    visit(page, f"/help/requests/{public_id}")
    page.locator("input[name=consent][value=yes]").check()
    submit(page, check_page, "form[action$='/referral-follow-up/consent'] button[type=submit]")
    assert "Ihre Antwort ist gespeichert" in page.locator("main").inner_text()

    visit(page, "/help/requests/new?danger=no")
    assert page.locator("input[name=same_counsellor][value=yes]").is_checked()
    visit(page, "/language/uk?next=/help/requests/new?danger=no")
    assert page.locator("input[name=same_counsellor]").count() == 2
