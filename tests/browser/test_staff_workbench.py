"""iGuS staff at 1280 px: the triage inbox fits without sideways scrolling, shows a short
preview, assigns from the row; the counsellor works the case on the restructured case page
(one action group open at a time, no JavaScript on the page); axe on every page."""

from __future__ import annotations

import secrets
from datetime import timedelta

from eap.models import utcnow
from eap.requests.models import HelpRequest, RequesterAccount
from tests.browser.requester_flow import submit
from tests.browser.test_case_journey import staff_sign_in
from tests.conftest import persist

TEXT = ("Seit der Trennung schlafe ich kaum noch und mache Fehler bei der Arbeit. Ich weiß "
        "nicht, wie ich das meinen Kindern erklären soll, und brauche dringend ein Gespräch.")


def _case(app, organisation, **fields) -> HelpRequest:
    account = persist(app, RequesterAccount(
        case_key_digest=secrets.token_hex(32), recovery_digest=secrets.token_hex(32),
        passphrase_hash="$argon2id$not-used", organisation_id=organisation.id,
        requester_type="employee"))
    now = utcnow()
    values = dict(
        account_id=account.id, organisation_id=organisation.id,
        submission_id=secrets.token_hex(16), area="psychological", topic="family",
        for_whom="self", urgency="normal", acute_danger=False, priority=3,
        preferred_contact="messages", language="de", description=TEXT, status="new",
        created_at=now - timedelta(hours=1), response_due_at=now + timedelta(hours=8))
    values.update(fields)
    return persist(app, HelpRequest(**values))


def test_triage_assigns_from_the_inbox_and_the_counsellor_works_the_case(
        browser, base_url, live_server, visit, check_page, make_contract, make_organisation,
        make_staff, page):
    organisation = make_organisation()
    make_contract(organisation=organisation)
    case = _case(live_server.app, organisation)
    for hours in (2, 30, 50):
        _case(live_server.app, organisation, response_due_at=utcnow() + timedelta(hours=hours),
              topic="debt", language="tr", preferred_contact="phone")
    triage = make_staff(role="triage", name="Tara Triage")
    counsellor = make_staff(role="counsellor", name="Cem Counsellor")

    page.set_viewport_size({"width": 1280, "height": 800})
    staff_sign_in(page, visit, check_page, triage)
    visit(page, "/staff/cases/")
    # Nothing is cut off or scrolls sideways at 1280 px.
    widths = page.evaluate("""() => {
        const box = document.querySelector('.table-scroll');
        return [document.documentElement.scrollWidth, box.scrollWidth, box.clientWidth];
    }""")
    assert widths[0] <= 1280 and widths[1] <= widths[2], widths
    row = page.locator("tbody.inbox-case", has=page.locator(f"a[href$='/{case.public_id}']"))
    preview = row.locator(".inbox-preview").inner_text()
    assert preview.startswith("Seit der Trennung") and len(preview) <= 125
    assert "dringend ein Gespräch" not in preview  # only the beginning
    row.locator("select[name=assign-staff_id]").select_option(str(counsellor.id))
    submit(page, check_page, f"form[action$='/{case.public_id}/assign'] button[type=submit]")
    assert page.url.endswith("/staff/cases/")
    assert page.locator(f"a[href$='/{case.public_id}']").count() == 0  # no longer unassigned
    page.context.clear_cookies()

    staff_sign_in(page, visit, check_page, counsellor)
    visit(page, f"/staff/cases/{case.public_id}")
    served = page.request.get(live_server(f"/staff/cases/{case.public_id}")).text()
    assert "<script" not in served  # the grouping is plain HTML: it works without JavaScript
    # The request comes first; the reply group is open, the others closed.
    assert page.locator(".case-description").inner_text().startswith("Seit der Trennung")
    assert page.locator("#action-reply").get_attribute("open") is not None
    assert not page.locator("#note-body").is_visible()
    page.click("#action-note > summary")
    assert page.locator("#action-reply").get_attribute("open") is None  # one at a time
    page.fill("#note-body", "Rückruf vereinbart.")
    submit(page, check_page, "form[action$='/note'] button[type=submit]")
    assert "Rückruf vereinbart." in page.inner_text(".internal")
    page.fill("#reply-body", "Ich rufe Sie morgen an.")
    submit(page, check_page, "form[action$='/reply'] button[type=submit]")
    page.click("#action-status > summary")
    page.select_option("#status-status", "waiting")
    submit(page, check_page, "form[action$='/status'] button[type=submit]")
    page.click("#action-close > summary")
    page.select_option("#close-outcome", "resolved")
    submit(page, check_page, "form[action$='/close'] button[type=submit]")
    assert "Abgeschlossen" in page.inner_text(".case-summary")
