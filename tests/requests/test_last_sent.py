"""After an error page says "check whether it arrived", the case page answers that question:
it shows the requester's last sent message at the top."""

from __future__ import annotations

import re

from tests.conftest import post_form
from tests.requests.conftest import send_request


def _last_sent(page: str) -> str | None:
    match = re.search(r'<div class="notice" id="last-sent">(.*?)</div>', page, re.S)
    return match.group(1) if match else None


def test_case_page_shows_the_last_sent_message(app, client, signed_up):
    answer = send_request(client)
    url = answer.headers["Location"].removesuffix("/sent")
    assert _last_sent(client.get(url).get_data(as_text=True)) is None  # nothing sent yet
    for text in ("Erste Nachricht", "Zweite Nachricht <b>fett</b>"):
        assert post_form(client, url + "/reply", {"body": text}, from_url=url).status_code == 302
    box = _last_sent(client.get(url).get_data(as_text=True))
    assert box is not None and "Your last message arrived on" in box
    assert "Zweite Nachricht &lt;b&gt;fett&lt;/b&gt;" in box and "Erste" not in box
