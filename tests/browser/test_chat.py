"""The live chat in a real browser: a guest with only the access code and a counsellor, each in
their own browser context at the same time (eap/chat/, templates/chat/, static/js/chat.js).

- German (the default): access code → waiting room → the counsellor opens chat hours and takes
  the chat → messages arrive live on the other side without a reload → an internal note never
  reaches the guest → the counsellor ends → the guest keeps it as an anonymous account and finds
  the conversation under "Meine Daten" and at its chat URL. The desk shows a new waiter with a
  visual notice (status text, title count) and never a sound.
- Arabic (right-to-left) at 320 px with the keyboard alone: no sideways scrolling, visible focus
  rings, readable messages; the guest deletes the conversation (its URL then answers 404).
- Without JavaScript: wait ("check again"), post and reload, read the reply after reloading.

axe-core (WCAG 2.1 A/AA) runs on the waiting room, the active chat on both sides (in the light
and the dark colour scheme) and the ended page (``check_page``); every page is watched for
console errors and foreign requests. The whole module takes about 50 s.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import PageGuard
from tests.browser.requester_flow import PASSPHRASE
from tests.browser.test_case_journey import staff_sign_in
from tests.browser.test_requester_keyboard import focus_on, press_and_wait, tab_through
from tests.browser.test_requester_reflow import assert_reflows

LIVE = 5_000  # ms: a message must reach the other side within this, without a reload
CHAT_URL = re.compile(r"/help/chat/([A-Za-z0-9_-]{16,})$")
PHONE = {"width": 320, "height": 640}

# Counts every attempt to make a sound: <audio>/<video> playing, Audio(), Web Audio.
NO_SOUND_JS = """
(() => {
  window.__sounds = 0;
  const count = () => { window.__sounds += 1; };
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () { count(); return play.apply(this, arguments); };
  const NativeAudio = window.Audio;
  window.Audio = function () { count(); return new NativeAudio(...arguments); };
  for (const name of ['AudioContext', 'webkitAudioContext']) {
    const Native = window[name];
    if (Native) { window[name] = function () { count(); return new Native(...arguments); }; }
  }
})();
"""

NO_SIDEWAYS_JS = """
() => {
  const doc = document.scrollingElement;
  const width = document.documentElement.clientWidth;
  const out = [...document.querySelectorAll('.chat-line')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.left < -1 || r.right > width + 1;
  }).length;
  return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, linesOutside: out};
}
"""

# A message line is readable: big enough type, its text inside the viewport, not clipped.
READABLE_JS = """
(text) => {
  const line = [...document.querySelectorAll('.chat-line')].find(
    el => el.innerText.includes(text));
  if (!line) return null;
  const body = line.querySelector('.free-text');
  const r = body.getBoundingClientRect();
  const s = getComputedStyle(body);
  return {fontSize: parseFloat(s.fontSize), left: r.left, right: r.right, width: r.width,
          viewport: document.documentElement.clientWidth, overflow: s.overflow,
          clipped: body.scrollWidth > body.clientWidth + 1};
}
"""


def _access_code(make_contract, make_access_code, make_organisation) -> str:
    organisation = make_organisation()
    make_contract(organisation=organisation)
    return make_access_code(organisation)[1]


def _context_page(browser, base_url, live_server, **options) -> Page:
    """A second browser (own cookies), watched like the ``page`` fixture."""
    context = browser.new_context(bypass_csp=True, locale="de-DE", base_url=base_url, **options)
    page = context.new_page()
    page._eap_guard = PageGuard(page, live_server)  # type: ignore[attr-defined]
    return page


def _close(page: Page) -> None:
    page._eap_guard.assert_clean()  # type: ignore[attr-defined]
    page.context.close()


def _open_desk(desk: Page, visit, check_page, counsellor) -> None:
    """Sign in and open chat hours with the presence form (two hours, two chats)."""
    staff_sign_in(desk, visit, check_page, counsellor)
    visit(desk, "/staff/chat/")
    desk.locator("select[name=hours]").select_option("2")
    desk.locator("input[name=max_parallel]").fill("2")
    with desk.expect_navigation():
        desk.locator("form[action$='/staff/chat/presence'] [type=submit]").last.click()
    check_page(desk)
    assert desk.locator("form[action$='/presence'] button[name=close]").count() == 1  # open


def _guest_at_start_form(page: Page, visit, check_page, code: str, language: str) -> None:
    """The access code (with proof of work), then "chat without an account" (mouse)."""
    visit(page, f"/help/?next=/help/access%3Fcode%3D{code}")
    with page.expect_navigation():
        page.locator(f"main button[value='{language}']").click()
    with page.expect_navigation():
        page.locator("form[action$='/help/access'] [type=submit]").click()
    check_page(page)
    assert page.url.endswith("/help/account/new")
    with page.expect_navigation():
        page.locator("main a[href$='/help/chat/']").click()
    check_page(page)


def _take(desk: Page, check_page, chat_id: str) -> None:
    row = desk.locator("#chat-queue form", has=desk.locator(f"input[value='{chat_id}']"))
    with desk.expect_navigation():
        row.locator("button[type=submit]").click()
    check_page(desk)
    assert desk.url.endswith(f"/staff/chat/{chat_id}")


def _send_with_mouse(page: Page, text: str) -> None:
    """Write and send with the script (no navigation): the box empties once it is saved."""
    form = page.locator("form.chat-form:not(:has(input[name=kind]))")
    form.locator("textarea[name=body]").fill(text)
    form.locator("[type=submit]").click()
    expect(form.locator("textarea[name=body]")).to_have_value("", timeout=LIVE)


def _log(page: Page):
    return page.locator("ol.chat-log")


def _status(page: Page, status: str) -> None:
    """The page reloads by itself when the chat's state changes (static/js/chat.js)."""
    page.locator(f".chat[data-chat-status={status}]").wait_for(timeout=LIVE)
    page.wait_for_load_state("load")


def test_a_guest_chats_in_german_and_keeps_the_conversation(
        page, browser, base_url, live_server, visit, check_page, make_contract,
        make_access_code, make_organisation, make_staff):
    code = _access_code(make_contract, make_access_code, make_organisation)
    counsellor = make_staff(role="counsellor", name="Clara Counsellor")
    desk = _context_page(browser, base_url, live_server)
    desk.add_init_script(NO_SOUND_JS)
    _open_desk(desk, visit, check_page, counsellor)
    assert desk.locator("#chat-queue").get_attribute("data-count") == "0"
    title = desk.title()
    desk.evaluate("() => { window.__stayed = true; }")  # gone if the desk page reloads

    # The guest: access code → case key page → "Ohne Konto chatten" → the start form.
    _guest_at_start_form(page, visit, check_page, code, "de")
    assert page.locator("html").get_attribute("lang") == "de"
    page.locator("input[name=acute][value=no]").check()
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    check_page(page)  # the waiting room
    chat_id = CHAT_URL.search(page.url).group(1)
    _status(page, "waiting")
    expect(page.locator(".chat-place")).to_have_text("Sie sind als Nächstes dran.")
    assert "112" in page.locator("main").inner_text()  # the crisis numbers while waiting
    assert page.locator("main a[href^='tel:']").count() >= 1

    # The open desk shows the new waiter without a reload: status text, title count; no sound.
    expect(desk.locator(".chat-desk-notice")).to_have_text("Jemand Neues wartet", timeout=LIVE)
    expect(desk).to_have_title(f"(1) {title}", timeout=LIVE)
    expect(desk.locator(f"#chat-queue input[value='{chat_id}']")).to_have_count(1, timeout=LIVE)
    assert desk.evaluate("() => document.querySelectorAll('audio, video').length") == 0
    assert desk.evaluate("() => window.__sounds") == 0
    assert desk.evaluate("() => window.__stayed === true")  # no reload
    check_page(desk)

    # The counsellor takes the chat; the guest's waiting room turns into the chat by itself.
    _take(desk, check_page, chat_id)
    _status(page, "active")
    check_page(page)
    check_page(desk)

    # Both write; each message reaches the other side live (no reload on either side).
    page.evaluate("() => { window.__stayed = true; }")
    desk.evaluate("() => { window.__stayed = true; }")
    _send_with_mouse(page, "Ich brauche jemanden zum Reden.")
    expect(_log(desk)).to_contain_text("Ich brauche jemanden zum Reden.", timeout=LIVE)
    expect(_log(page)).to_contain_text("Ich brauche jemanden zum Reden.", timeout=LIVE)
    _send_with_mouse(desk, "Ich bin da. Was ist passiert?")
    expect(_log(page)).to_contain_text("Ich bin da. Was ist passiert?", timeout=LIVE)
    # The lines the script adds name the author as the page itself does.
    expect(_log(page).locator("li.chat-staff strong")).to_have_text(
        "Ihre Beraterin oder Ihr Berater")
    expect(_log(desk).locator("li.chat-requester strong")).to_have_text("Ratsuchende Person")

    # An internal note: on the desk at once, never for the guest (a later message proves the
    # guest's stream went past it).
    desk.locator("details > summary").click()
    note = desk.locator("form.chat-form:has(input[name=kind][value=note])")
    note.locator("textarea[name=body]").fill("wirkt erschöpft, Rückruf anbieten")
    note.locator("[type=submit]").click()
    expect(_log(desk).locator("li.chat-note")).to_contain_text("wirkt erschöpft", timeout=LIVE)
    _send_with_mouse(desk, "Erzählen Sie ruhig.")
    expect(_log(page)).to_contain_text("Erzählen Sie ruhig.", timeout=LIVE)
    assert "wirkt erschöpft" not in page.locator("body").inner_text()
    assert page.locator("li.chat-note").count() == 0
    assert page.evaluate("() => window.__stayed") and desk.evaluate("() => window.__stayed")
    check_page(page)  # the active chat, both sides, with messages in it
    check_page(desk)
    for side in (page, desk):  # Pico follows the system's dark scheme: the lines stay legible
        side.emulate_media(color_scheme="dark")
        side.reload()
        check_page(side)
        side.emulate_media(color_scheme="light")
        side.reload()

    # The counsellor ends the chat; the guest's page shows the end and the choice.
    with desk.expect_navigation():
        desk.locator("form[action$='/end'] [type=submit]").click()
    check_page(desk)
    assert desk.locator(".chat[data-chat-status=ended]").count() == 1
    assert "Der Chat ist beendet." in desk.locator("main").inner_text()  # not lost to a reload
    _status(page, "ended")
    check_page(page)  # the ended page with keep-or-delete
    assert page.locator("textarea").count() == 0
    assert "wirkt erschöpft" not in page.content()

    # Keep it: the case key, a passphrase, signed in; the chat is theirs now.
    with page.expect_navigation():
        page.get_by_role("button", name="Behalten: mein anonymes Konto anlegen").click()
    check_page(page)
    assert page.url.endswith("/help/account/new")
    assert len(page.locator("p.access-code code").inner_text().replace("-", "")) >= 16
    assert page.locator("main a[href$='/help/chat/']").count() == 0  # no second chat offered
    page.locator("input[name=saved]").check()
    with page.expect_navigation():
        page.locator("main [type=submit]").click()
    check_page(page)
    page.locator("input[name=requester_type][value=employee]").check()
    page.locator("input[name=passphrase]").fill(PASSPHRASE)
    page.locator("input[name=confirm]").fill(PASSPHRASE)
    with page.expect_navigation():
        page.locator("main [type=submit]").click()
    check_page(page)
    assert page.url.endswith("/help/account/welcome")
    assert page.locator("header form[action$='/help/sign-out']").count() == 1  # signed in

    visit(page, "/help/account/data")  # "Meine Daten"
    assert page.locator("h1").inner_text() == "Meine Daten"
    mine = page.locator("main").inner_text()
    assert "Ich brauche jemanden zum Reden." in mine and "Ich bin da. Was ist passiert?" in mine
    assert "wirkt erschöpft" not in mine
    visit(page, f"/help/chat/{chat_id}")  # the kept chat opens again at its URL
    assert "Erzählen Sie ruhig." in _log(page).inner_text()
    assert "wirkt erschöpft" not in page.content()
    assert page.locator("form[action$='/keep']").count() == 0  # kept: no second choice

    assert desk.evaluate("() => window.__sounds") == 0
    _close(desk)


def _no_sideways_scrolling(page: Page) -> None:
    result = page.evaluate(NO_SIDEWAYS_JS)
    assert result["scrollWidth"] <= result["clientWidth"] and not result["linesOutside"], (
        f"{page.url} scrolls sideways at 320 px: {result}")
    assert_reflows(page)  # 320×640 and 400 % zoom, nothing sticking out


def _readable(page: Page, text: str) -> None:
    line = page.evaluate(READABLE_JS, text)
    assert line is not None, f"{text!r} is not shown on {page.url}"
    assert line["fontSize"] >= 14, line
    assert 0 <= line["left"] and line["right"] <= line["viewport"] and line["width"] > 100, line
    assert not line["clipped"], line


def test_a_guest_chats_in_arabic_at_320_px_with_the_keyboard_alone_and_deletes_it(
        page, browser, base_url, live_server, visit, check_page, make_contract,
        make_access_code, make_organisation, make_staff):
    code = _access_code(make_contract, make_access_code, make_organisation)
    desk = _context_page(browser, base_url, live_server)
    _open_desk(desk, visit, check_page, make_staff(role="counsellor", name="Kemal Counsellor"))

    # The requester: 320 px, Arabic, only Tab, Enter and Space from here on.
    page.set_viewport_size(PHONE)
    page.goto(live_server(f"/help/?next=/help/access%3Fcode%3D{code}"))
    focus_on(page, "main button[value=ar]")
    press_and_wait(page, "Space")
    assert page.locator("html").get_attribute("dir") == "rtl"
    focus_on(page, "form[action$='/help/access'] [type=submit]")
    press_and_wait(page, "Enter")  # the proof of work is solved meanwhile
    assert page.url.endswith("/help/account/new")
    focus_on(page, "main a[href$='/help/chat/']")  # "المحادثة بدون حساب"
    press_and_wait(page, "Enter")
    check_page(page)
    _no_sideways_scrolling(page)
    assert page.locator("input[name=acute][value=no]").is_checked()  # "no" is the default
    focus_on(page, "main form [type=submit]")
    press_and_wait(page, "Enter")

    # The waiting room, right to left: the place, the crisis numbers, nothing sideways.
    _status(page, "waiting")
    chat_id = CHAT_URL.search(page.url).group(1)
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator(".chat-place")).to_have_text("أنت التالي.")
    assert "112" in page.locator("main").inner_text()
    check_page(page)
    _no_sideways_scrolling(page)
    tab_through(page)  # every control reached, each with a visible focus ring

    expect(desk.locator(f"#chat-queue input[value='{chat_id}']")).to_have_count(1, timeout=LIVE)
    _take(desk, check_page, chat_id)
    _status(page, "active")
    check_page(page)
    _no_sideways_scrolling(page)

    # Writing by keyboard: Tab to the box, type, Tab to "إرسال", Enter; the focus comes back
    # to the box for the next message.
    focus_on(page, "form.chat-form textarea[name=body]")
    page.keyboard.type("مرحبا، أحتاج إلى من أتحدث معه.")
    focus_on(page, "form.chat-form [type=submit]")
    page.keyboard.press("Enter")
    expect(_log(desk)).to_contain_text("مرحبا، أحتاج إلى من أتحدث معه.", timeout=LIVE)
    expect(page.locator("form.chat-form textarea[name=body]")).to_have_value("")
    expect(page.locator("form.chat-form textarea[name=body]")).to_be_focused()
    reply = ("أنا هنا. خذ وقتك، يمكنك أن تكتب كل ما يشغل بالك، حتى لو كان طويلاً. "
             "https://example.invalid/a-very-long-address-without-any-space-in-it-at-all-0123")
    _send_with_mouse(desk, reply)  # the counsellor may use the mouse
    expect(_log(page)).to_contain_text("أنا هنا. خذ وقتك", timeout=LIVE)
    page.keyboard.type("شكرا")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # a real button: Space sends too
    expect(_log(desk)).to_contain_text("شكرا", timeout=LIVE)
    _readable(page, "أنا هنا. خذ وقتك")
    _readable(page, "مرحبا، أحتاج إلى من أتحدث معه.")
    # Right to left: the guest's own lines lean to the left edge, the counsellor's to the right.
    own = page.locator("li.chat-requester").first.bounding_box()
    theirs = page.locator("li.chat-staff").first.bounding_box()
    assert theirs["x"] + theirs["width"] > own["x"] + own["width"], (own, theirs)
    check_page(page)
    _no_sideways_scrolling(page)
    tab_through(page)

    with desk.expect_navigation():
        desk.locator("form[action$='/end'] [type=submit]").click()
    _status(page, "ended")
    check_page(page)
    _no_sideways_scrolling(page)
    tab_through(page)
    focus_on(page, f"form[action$='/{chat_id}/delete'] button")  # "احذفها الآن"
    press_and_wait(page, "Space")
    check_page(page)
    assert page.url.endswith("/help/access")
    assert "تم حذف المحادثة." in page.locator("main").inner_text()
    visit(page, f"/help/chat/{chat_id}", status=404)
    visit(desk, f"/staff/chat/{chat_id}", status=404)  # gone for the desk too
    _close(desk)


def test_without_javascript_the_guest_waits_posts_and_reloads(
        browser, base_url, live_server, visit, check_page, make_contract, make_access_code,
        make_organisation, make_staff):
    code = _access_code(make_contract, make_access_code, make_organisation)
    desk = _context_page(browser, base_url, live_server)
    _open_desk(desk, visit, check_page, make_staff(role="counsellor", name="Nora Counsellor"))
    guest = _context_page(browser, base_url, live_server, java_script_enabled=False)
    patience = live_server.app.config["POW_NOJS_WAIT"] * 1000 + 300

    guest.goto(f"/help/?next=/help/access%3Fcode%3D{code}")
    with guest.expect_navigation():
        guest.locator("main button[value='de']").click()
    guest.wait_for_timeout(patience)  # without a script the step asks a few seconds
    with guest.expect_navigation():
        guest.locator("form[action$='/help/access'] [type=submit]").click()
    assert guest.url.endswith("/help/account/new")
    with guest.expect_navigation():
        guest.get_by_role("link", name="Ohne Konto chatten").click()
    guest.wait_for_timeout(patience)
    with guest.expect_navigation():
        guest.locator("main form [type=submit]").click()
    chat_id = CHAT_URL.search(guest.url).group(1)
    assert guest.locator(".chat[data-chat-status=waiting]").count() == 1
    expect(guest.locator(".chat-place")).to_have_text("Sie sind als Nächstes dran.")

    # Waiting: "Erneut nachsehen" reloads; still waiting until the counsellor takes it.
    check_again = guest.get_by_role("link", name="Erneut nachsehen")
    with guest.expect_navigation():
        check_again.click()
    assert guest.locator(".chat[data-chat-status=waiting]").count() == 1
    visit(desk, "/staff/chat/")
    _take(desk, check_page, chat_id)
    with guest.expect_navigation():
        check_again.click()
    assert guest.locator(".chat[data-chat-status=active]").count() == 1

    # Sending posts and reloads; the desk (with its script) sees it live.
    guest.locator("textarea[name=body]").fill("Ich habe kein JavaScript.")
    with guest.expect_navigation():
        guest.locator("form.chat-form [type=submit]").click()
    assert guest.url.endswith(f"/help/chat/{chat_id}#latest")
    assert "Ich habe kein JavaScript." in _log(guest).inner_text()
    assert guest.locator("textarea[name=body]").input_value() == ""
    expect(_log(desk)).to_contain_text("Ich habe kein JavaScript.", timeout=LIVE)
    _send_with_mouse(desk, "Kein Problem, ich antworte hier.")

    # The reply is there after a reload ("Neue Nachrichten anzeigen"), each time it is pressed
    # (the page is at "#latest" after sending: a plain "#latest" link would only scroll).
    assert "Kein Problem" not in _log(guest).inner_text()
    show_new = guest.get_by_role("link", name="Neue Nachrichten anzeigen")
    with guest.expect_navigation():
        show_new.click()
    assert guest.url.endswith(f"/help/chat/{chat_id}#latest")
    assert "Kein Problem, ich antworte hier." in _log(guest).inner_text()
    _send_with_mouse(desk, "Noch etwas?")
    with guest.expect_navigation():
        show_new.click()
    assert "Noch etwas?" in _log(guest).inner_text()
    assert guest.locator("li.chat-staff").count() == 2
    assert guest.locator("#latest").inner_text().endswith("Noch etwas?")
    _close(guest)
    _close(desk)
