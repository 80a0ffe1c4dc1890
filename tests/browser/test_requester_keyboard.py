"""Issue 16: the requester pages with the keyboard alone, and what a sighted keyboard user sees.

- Tab reaches every control of the page (a radio group is one tab stop, as in every browser);
- each control, when focused, shows a focus ring of at least 2 px and 3:1 against what is next
  to it (WCAG 2.4.7; 2.2's 2.4.11/2.4.13 as the aim);
- form-control borders (inputs, selects, text areas, radios, checkboxes) reach 3:1 (1.4.11);
- buttons work with Enter and Space, links with Enter; no link pretends to be a button;
- after a failed submit the error summary has the focus and links to each field.
"""

from __future__ import annotations

import pytest

from eap.demo import demo_access_code

PASSPHRASE = "purple tractor whistles at midnight"

# Every control a keyboard user must reach, marked with its index; the radio groups by name.
MARK_CONTROLS_JS = """
() => {
  const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]),'
    + ' select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
  const controls = [...document.querySelectorAll(selector)].filter(el => {
    const r = el.getBoundingClientRect();
    return !el.closest('.visually-hidden') && (r.width > 0 || el.classList.contains('skip-link'));
  });
  return controls.map((el, i) => {
    el.dataset.kb = String(i);
    return {i, tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '',
            text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim()};
  });
}
"""

# The focused element: its mark, its focus ring and the colour behind the ring.
FOCUSED_JS = """
() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let behind = el.parentElement, bg = 'rgba(0, 0, 0, 0)';
  while (behind) {
    const colour = getComputedStyle(behind).backgroundColor;
    if (colour && !colour.endsWith(', 0)') && colour !== 'transparent') { bg = colour; break; }
    behind = behind.parentElement;
  }
  if (bg === 'rgba(0, 0, 0, 0)') bg = 'rgb(255, 255, 255)';
  return {kb: el.dataset.kb ?? null, tag: el.tagName.toLowerCase(), cls: el.className,
          outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
          outlineColor: style.outlineColor, background: bg};
}
"""

# Every form control's border colour and the colour behind it.
BORDERS_JS = """
() => [...document.querySelectorAll(
    'main input:not([type=hidden]):not([type=submit]), main select, main textarea')]
  .map(el => {
    let behind = el.parentElement, bg = 'rgb(255, 255, 255)';
    while (behind) {
      const colour = getComputedStyle(behind).backgroundColor;
      if (colour && !colour.endsWith(', 0)') && colour !== 'transparent') { bg = colour; break; }
      behind = behind.parentElement;
    }
    const s = getComputedStyle(el);
    return {name: el.name, type: el.type, border: s.borderTopColor,
            width: parseFloat(s.borderTopWidth), background: bg};
  })
"""


def _rgb(colour: str) -> tuple[float, float, float, float]:
    inner = colour[colour.index("(") + 1:colour.index(")")].replace("/", ",")
    parts = [float(p) for p in inner.replace(" ", ",").split(",") if p]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def _luminance(r: float, g: float, b: float) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio; a translucent foreground is blended onto the background first."""
    fr, fg, fb, alpha = _rgb(foreground)
    br, bg, bb, _ = _rgb(background)
    blended = (fr * alpha + br * (1 - alpha), fg * alpha + bg * (1 - alpha),
               fb * alpha + bb * (1 - alpha))
    lighter, darker = sorted((_luminance(*blended), _luminance(br, bg, bb)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_helper_matches_known_values():
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    assert round(contrast("rgb(207, 213, 226)", "rgb(255, 255, 255)"), 2) == 1.47  # Pico's border
    assert contrast("rgba(2, 154, 232, 0.5)", "rgb(255, 255, 255)") < 3  # Pico's focus shadow


def start_from_top(page) -> None:
    """Put the keyboard's starting point before the first element of the page, as on load."""
    page.evaluate("""() => {
      let start = document.getElementById('kb-start');
      if (!start) {
        start = document.createElement('span');
        start.id = 'kb-start';
        start.tabIndex = -1;
        document.body.prepend(start);
      }
      start.focus();
    }""")


def tab_through(page) -> list[dict]:
    """Press Tab from the top of the page until the focus leaves it; check every ring."""
    controls = page.evaluate(MARK_CONTROLS_JS)
    start_from_top(page)
    reached, problems = [], []
    for _ in range(len(controls) + 3):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused["kb"] is None or (reached and focused["kb"] == reached[0]["kb"]):
            break
        reached.append(focused)
        ring = contrast(focused["outlineColor"], focused["background"])
        if focused["outlineStyle"] == "none" or focused["outlineWidth"] < 2 or ring < 3:
            problems.append(f"{focused['tag']}.{focused['cls']}: {focused['outlineStyle']} "
                            f"{focused['outlineWidth']}px {focused['outlineColor']} ({ring:.2f}:1)")
    assert not problems, f"weak focus rings on {page.url}: {problems}"
    seen = {int(f["kb"]) for f in reached}
    radio_groups = {c["name"] for c in controls if c["type"] == "radio"}
    groups_seen = {controls[i]["name"] for i in seen if controls[i]["type"] == "radio"}
    missed = [c for c in controls if c["i"] not in seen and c["type"] != "radio"]
    assert not missed, f"Tab never reaches on {page.url}: {missed}"
    assert radio_groups == groups_seen, f"radio groups not reached: {radio_groups - groups_seen}"
    return controls


def assert_borders(page) -> None:
    weak = [
        f"{b['name']} ({b['type']}): {b['border']} on {b['background']}"
        for b in page.evaluate(BORDERS_JS)
        if b["width"] < 1 or contrast(b["border"], b["background"]) < 3
    ]
    assert not weak, f"control borders under 3:1 on {page.url}: {weak}"


def focus_on(page, selector: str) -> None:
    """Tab (never click) until ``selector`` has the focus."""
    start_from_top(page)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def press_and_wait(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def no_fake_buttons(page) -> None:
    assert page.locator("a[role=button]").count() == 0, f"a link posing as a button: {page.url}"


@pytest.mark.parametrize("language", ["de", "ar"])
def test_requester_journey_with_the_keyboard_alone(page, check_page, live_server, language):
    with live_server.app.app_context():
        code = demo_access_code()
    page.goto(live_server(f"/help/?next=/help/access%3Fcode%3D{code.replace('-', '')}"))
    tab_through(page)
    no_fake_buttons(page)
    focus_on(page, f"button[value={language}]")
    press_and_wait(page, "Space")  # a real button: Space works
    assert page.locator("html").get_attribute("lang") == language

    tab_through(page)
    assert_borders(page)
    focus_on(page, "form[action$='/help/access'] [type=submit]")
    press_and_wait(page, "Enter")

    # The case key page: a failed submit, then the summary has the focus and links the box.
    focus_on(page, "main [type=submit]")
    press_and_wait(page, "Space")
    check_page(page)
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    assert page.title().startswith("Fehler:" if language == "de" else "خطأ:")
    page.keyboard.press("Tab")  # the first link of the summary ...
    page.keyboard.press("Enter")  # ... takes the focus to the box
    assert page.evaluate("() => document.activeElement.name") == "saved"
    page.keyboard.press("Space")
    assert page.locator("input[name=saved]").is_checked()
    tab_through(page)
    assert_borders(page)
    focus_on(page, "main [type=submit]")
    press_and_wait(page, "Enter")

    # Who are you (a radio group: Space chooses), the passphrase twice, Space submits.
    tab_through(page)
    assert_borders(page)
    focus_on(page, "input[name=requester_type]")
    page.keyboard.press("Space")
    assert page.locator("input[name=requester_type]:checked").count() == 1
    page.keyboard.press("Tab")
    page.keyboard.type(PASSPHRASE)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSPHRASE)
    focus_on(page, "main [type=submit]")
    press_and_wait(page, "Space")

    # Welcome: the next step is a link (Enter); the crisis question: real buttons.
    tab_through(page)
    no_fake_buttons(page)
    focus_on(page, "main a.cta-link")
    press_and_wait(page, "Enter")
    tab_through(page)
    no_fake_buttons(page)
    focus_on(page, "button[value=no]")
    press_and_wait(page, "Space")
    assert page.url.endswith("danger=no")

    # The request form: every control by Tab, radios by Space, sent with Enter.
    tab_through(page)
    assert_borders(page)
    focus_on(page, "input[name=area]")
    page.keyboard.press("Space")
    focus_on(page, "select[name=topic]")
    page.keyboard.press("ArrowDown")
    focus_on(page, "input[name=for_whom]")
    page.keyboard.press("Space")
    focus_on(page, "textarea[name=description]")
    page.keyboard.type("Hilfe bitte")
    focus_on(page, "form[action$='/help/requests/new'] [type=submit]")
    press_and_wait(page, "Enter")
    assert "/sent" in page.url
    check_page(page)
    tab_through(page)
    no_fake_buttons(page)
    focus_on(page, "main a.cta-link")
    press_and_wait(page, "Enter")
    tab_through(page)
    assert_borders(page)


def test_dark_colour_scheme_keeps_borders_and_focus_rings(page, check_page, live_server):
    """Pico follows the system's dark scheme: the same checks there, on the first pages."""
    page.emulate_media(color_scheme="dark")
    with live_server.app.app_context():
        code = demo_access_code()
    page.goto(live_server(f"/help/?next=/help/access%3Fcode%3D{code.replace('-', '')}"))
    assert page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
    check_page(page)
    tab_through(page)
    focus_on(page, "button[value=en]")
    press_and_wait(page, "Enter")
    check_page(page)
    tab_through(page)
    assert_borders(page)
