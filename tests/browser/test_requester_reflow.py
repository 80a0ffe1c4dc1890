"""Issue 16: every requester page, in every requester language, at 320 CSS px and at 400 % zoom.

WCAG 1.4.10 (reflow): nothing may scroll sideways at 320 CSS px. 400 % zoom of a 1280×720 window
is a 320×180 CSS px viewport (the device pixel ratio changes the rendering, not the layout), so
both are checked as viewports: 320×640 (a small phone) and 320×180 (the zoomed desktop window).
Tables may scroll inside their own region (``.table-scroll``). Every page is also checked with
axe-core, for console errors and for requests to other hosts (``check_page``).

One test per language walks the whole requester journey once (sharing the session's browser) and
checks each page it reaches, failed submits included.
"""

from __future__ import annotations

import pytest

from eap.demo import demo_access_code
from tests.browser.requester_flow import LANGUAGES, Journey

PHONE = {"width": 320, "height": 640}
ZOOM_400 = {"width": 320, "height": 180}  # 1280×720 at 400 %

# Offenders: elements (outside a scroll region, not visually hidden) that stick out of the
# viewport on either side, and the document's own sideways scroll range.
OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-scroll, .visually-hidden, .skip-link')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.left < -1 || r.right > width + 1) {
      const where = `[${Math.round(r.left)}, ${Math.round(r.right)}]`;
      bad.push(`${el.tagName.toLowerCase()}.${el.className} ${where}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, bad: bad.slice(0, 8)};
}
"""


def assert_reflows(page) -> None:
    for viewport in (PHONE, ZOOM_400):
        page.set_viewport_size(viewport)
        result = page.evaluate(OVERFLOW_JS)
        assert result["scrollWidth"] <= result["width"] and not result["bad"], (
            f"{page.url} scrolls sideways at {viewport}: document {result['scrollWidth']} px"
            f" in {result['width']} px; sticking out: {result['bad']}"
        )
    page.set_viewport_size(PHONE)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_requester_page_reflows_at_320_px_and_400_percent(
    page, check_page, live_server, language
):
    with live_server.app.app_context():
        code = demo_access_code()
    page.set_viewport_size(PHONE)
    journey = Journey(page, live_server, language)

    def checked():
        check_page(page)
        assert_reflows(page)

    journey.walk(code, on_page=checked)
    assert journey.pages_seen >= 20, journey.pages_seen


@pytest.mark.parametrize("path", ["/", "/packages", "/hr/login", "/hr/signup", "/staff/login"])
def test_portal_entry_pages_reflow_too(page, visit, path):
    """The landing page (458 px wide at 320 px before issue 16) and the sign-in pages."""
    page.set_viewport_size(PHONE)
    visit(page, path)
    assert_reflows(page)
    assert page.locator("a[role=button]").count() == 0, "links that navigate are links"
