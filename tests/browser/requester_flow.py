"""The requester's steps in a real browser, shared by the browser tests.

``sign_up_and_ask(...)`` is the short way in: sign up with an access code and send a first
request, every page checked on the way. ``Journey.walk(code, on_page)`` goes through every
requester page a person can reach, in one language, failed submits included, and calls
``on_page()`` on each page it lands on (the reflow and keyboard tests, issue 16).
"""

from __future__ import annotations

from collections.abc import Callable

# The six requester languages, as the start page's buttons name them.
LANGUAGES = ["de", "en", "tr", "ar", "ru", "uk", "de-simple"]  # de-simple: plain German
BUTTON_NAMES = {
    "de": "Deutsch", "en": "English", "tr": "Türkçe", "ar": "العربية", "ru": "Русский",
    "uk": "Українська", "de-simple": "Deutsch – einfach",
}
PASSPHRASE = "purple tractor whistles at midnight"
FOOTER_PAGES = ["/faq", "/privacy", "/imprint", "/accessibility", "/cookies", "/emergency"]


def submit(page, check_page, selector: str) -> None:
    """Click ``selector``, wait for the page it leads to and check that page."""
    with page.expect_navigation():
        page.locator(selector).click()
    check_page(page)


def sign_up_and_ask(page, visit, check_page, plain_code: str, description: str) -> str:
    """Sign up in German with the access code, as an employee, and ask for psychological help
    with stress for oneself; returns the new request's public id."""
    visit(page, f"/help/access?code={plain_code}")
    page.get_by_role("button", name="Deutsch", exact=True).click()
    submit(page, check_page, "form[action$='/help/access'] [type=submit]")
    page.locator("input[name=saved]").check()
    submit(page, check_page, "main [type=submit]")
    page.locator("input[name=requester_type][value=employee]").check()
    page.locator("input[name=passphrase]").fill(PASSPHRASE)
    page.locator("input[name=confirm]").fill(PASSPHRASE)
    submit(page, check_page, "main [type=submit]")
    visit(page, "/help/requests/new?danger=no")
    page.locator("input[name=area][value=psychological]").check()
    page.locator("select[name=topic]").select_option("stress")
    page.locator("input[name=for_whom][value=self]").check()
    page.locator("textarea[name=description]").fill(description)
    submit(page, check_page, "form[action$='/help/requests/new'] [type=submit]")
    return page.url.removesuffix("/sent").rsplit("/", 1)[1]


class Journey:
    def __init__(self, page, live_server, language: str) -> None:
        self.page, self.live, self.language = page, live_server, language
        self.pages_seen = 0
        self._on_page: Callable[[], None] = lambda: None

    def _landed(self) -> None:
        self.page.wait_for_load_state("load")
        self.pages_seen += 1
        self._on_page()

    def goto(self, path: str) -> None:
        response = self.page.goto(self.live(path))
        assert response is not None and response.status == 200, (path, response)
        self._landed()

    def submit(self, selector: str = "main form[method=post] [type=submit]") -> None:
        with self.page.expect_navigation():
            self.page.locator(selector).last.click()
        self._landed()

    def walk(self, code: str, on_page: Callable[[], None]) -> None:
        page, self._on_page = self.page, on_page
        self.goto(f"/help/?next=/help/access%3Fcode%3D{code.replace('-', '')}")
        with page.expect_navigation():
            page.locator(f"main button[value='{self.language}']").click()
        self._landed()
        assert page.locator("html").get_attribute("lang") == self.language.split("-")[0]
        self.submit("form[action$='/help/access'] [type=submit]")
        case_key = page.locator("p.access-code code").inner_text()
        self.submit()  # the "saved" box left unticked: the error and its summary
        assert page.locator(".error-summary").count() == 1
        page.locator("input[name=saved]").check()
        self.submit()
        self.submit()  # nothing chosen, no passphrase: errors
        page.locator("input[name=requester_type]").first.check()
        page.locator("input[name=passphrase]").fill(PASSPHRASE)
        page.locator("input[name=confirm]").fill(PASSPHRASE)
        self.submit()
        assert page.locator("p.access-code code").count() == 1  # the recovery code
        with page.expect_navigation():
            page.locator("main a.cta-link").click()
        self._landed()  # the crisis question
        for answer in ("yes", "no"):
            self.goto(f"/help/requests/new?danger={answer}")
        self.submit("form[action$='/help/requests/new'] [type=submit]")  # empty: errors
        page.locator("input[name=area]").first.check()
        page.locator("select[name=topic]").select_option(index=1)
        page.locator("input[name=for_whom]").first.check()
        page.locator("textarea[name=description]").fill("Ich brauche Hilfe.")
        self.submit("form[action$='/help/requests/new'] [type=submit]")
        assert "/sent" in page.url
        with page.expect_navigation():
            page.locator("main a.cta-link").click()
        self._landed()  # the request and its messages
        for path in ("/help/requests/", "/help/account/data", "/help/account/notifications",
                     "/help/account/delete", *FOOTER_PAGES):
            self.goto(path)
        self.goto("/help/account/delete")
        self.submit()  # "understood" unticked: the error
        # Signed out: sign-in and recovery pages, with their errors.
        with page.expect_navigation():
            page.locator("header form[action$='/help/sign-out'] button").click()
        self._landed()
        page.locator("input[name=case_key]").fill(case_key)
        self.submit()
        self.goto("/help/recover")
        self.submit()
