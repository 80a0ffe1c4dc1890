"""Keyboard use: the skip link comes first and takes the visitor to the content."""

import pytest


@pytest.mark.parametrize("path", ["/", "/hr/login", "/staff/login"])
def test_skip_link_is_the_first_tab_stop(page, visit, path):
    visit(page, path)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({cls: document.activeElement.className,"
        " href: document.activeElement.getAttribute('href'),"
        " visible: document.activeElement.getBoundingClientRect().height > 0})"
    )
    assert focused["cls"] == "skip-link" and focused["href"] == "#main", focused
    assert focused["visible"], "the skip link becomes visible when it has the focus"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_language_switch_works_with_the_keyboard_alone(page, visit):
    visit(page, "/faq")
    page.focus(".language-switch a[href*='/language/de-simple']")
    page.keyboard.press("Tab")  # Deutsch – einfach -> English
    assert page.evaluate("() => document.activeElement.lang") == "en"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
