"""The browser fixtures themselves: they must notice what they are there to catch."""

import pytest


def test_guard_notices_requests_to_other_hosts_and_console_errors(page, visit):
    visit(page, "/")
    guard = page._eap_guard
    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = 'http://192.0.2.1/tracker.png';
            img.alt = '';
            document.body.append(img);
            console.error('something broke');
        }"""
    )
    page.wait_for_timeout(200)
    assert any("192.0.2.1" in url for url in guard.foreign_requests)
    assert any("something broke" in error for error in guard.console_errors)
    with pytest.raises(AssertionError, match="request to another host"):
        guard.assert_clean()
    guard.foreign_requests.clear()
    guard.console_errors.clear()


def test_axe_check_reports_violations_readably(page, visit, check_page):
    visit(page, "/")
    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = '/static/img/favicon.svg';
            img.id = 'no-alt-text';
            document.querySelector('main').append(img);
        }"""
    )
    with pytest.raises(AssertionError) as failure:
        check_page(page)
    message = str(failure.value)
    assert "image-alt (critical)" in message and "#no-alt-text" in message


def test_visit_accepts_an_expected_error_page(page, visit):
    """A page expected to answer 404 is checked like any other, axe included."""
    visit(page, "/no-such-page", status=404)
    assert "404" in page.title() or page.locator("h1").count() == 1
