"""Every public page, in German and in English: no axe violations, the emergency numbers."""

import pytest

PUBLIC_PAGES = [
    "/",
    "/packages",
    "/faq",
    "/privacy",
    "/imprint",
    "/accessibility",
    "/cookies",
    "/emergency",
    "/offer",
    "/legal/terms",
    "/legal/avv",
]
EMERGENCY_NUMBERS = ["112", "110", "0228 19240", "0800 111 0 111"]


def switch_language(page, code: str) -> None:
    """Use the visible language links in the header, as a visitor would."""
    with page.expect_navigation():
        page.locator(f".language-switch a[href*='/language/{code}?']").click()


def assert_footer_shows_emergency_numbers(page) -> None:
    footer = page.locator("footer")
    numbers = footer.locator(".emergency-number").all_inner_texts()
    for number in EMERGENCY_NUMBERS:
        assert number in numbers, f"{number} missing from the footer of {page.url}: {numbers}"
    for number in EMERGENCY_NUMBERS:
        dial = footer.get_by_role("link", name=number, exact=True)
        assert dial.get_attribute("href").startswith("tel:")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_in_german(page, visit, path):
    visit(page, path)
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").count() == 1, "each page has exactly one main heading"
    assert_footer_shows_emergency_numbers(page)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_in_english(page, visit, check_page, live_server, path):
    visit(page, path)
    switch_language(page, "en")
    assert page.url == live_server(path), "the language switch stays on the same page"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".language-switch [aria-current]").get_attribute("lang") == "en"
    check_page(page)
    assert_footer_shows_emergency_numbers(page)
    assert "In an emergency" in page.locator("footer").inner_text()
    # And back to German with the same form.
    switch_language(page, "de")
    assert page.locator("html").get_attribute("lang") == "de"
