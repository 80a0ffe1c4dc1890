"""Issue 16: after a failed submit, an error summary names each missing answer and links to it;
the page title starts with "Error:"; a radio group says its message once; a checkbox's error
comes before the box, the box before its label."""

import re

from tests.conftest import post_form
from tests.requests.conftest import send_request


def _summary(page: str) -> str:
    start = page.index('class="error-summary"')
    return page[start:page.index("</div>", start)]


def test_request_form_errors_are_summarised_and_named(client, signed_up):
    page = send_request(client, area="", for_whom="", description="").get_data(as_text=True)
    assert re.search(r"<title>Error: ", page)
    summary = _summary(page)
    assert "autofocus" in summary and 'tabindex="-1"' in summary and 'role="alert"' in summary
    for anchor, message in [("#area-0", "Please choose an area."),
                            ("#for_whom-0", "Please choose for whom you ask."),
                            ("#description", "Please write in a few words what it is about.")]:
        assert f'<a href="{anchor}">{message}</a>' in summary, (anchor, summary)
        # Once in the summary, once with the field: never once per radio button.
        assert page.count(message) == 2, message
        assert f'id="{anchor[1:]}"' in page, "the link has its target"
    assert "Please fill in this field." not in page


def test_checkbox_error_comes_before_the_box(client, working_code):
    _organisation, code = working_code()
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"
    assert post_form(client, "/help/access", {"code": code}).status_code == 302
    page = post_form(client, "/help/account/new", {}).get_data(as_text=True)
    error, box = page.index('id="saved-error"'), page.index('id="saved"')
    label = page.index("I have written down my case key")
    assert error < box < label, "the error, then the box, then its label"
    assert 'aria-describedby="saved-error"' in page and "<title>Error: " in page
    assert '<a href="#saved">' in _summary(page)


def test_pages_without_errors_have_a_plain_title(client):
    client.get("/language/en?next=/help/")
    page = client.get("/help/").get_data(as_text=True)
    assert "<title>Error" not in page and "error-summary" not in page


def test_a_failed_sign_in_says_error_in_the_title_and_takes_the_focus(client):
    client.get("/language/en?next=/help/")
    page = post_form(client, "/help/sign-in", {"case_key": "AAAA-BBBB-CCCC-DDDD",
                                               "passphrase": "wrong wrong wrong"}).get_data(True)
    assert "<title>Error: " in page
    assert 'role="alert" tabindex="-1" autofocus>Case key or passphrase is wrong.' in page
