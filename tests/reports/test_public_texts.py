"""Issue 27: every public page describes the blurred report as it is. The report shows small
numbers (0, 1, 4 …) with their ranges, so no page may promise a minimum count ("never a number
below five"), in any language, and the pages that describe the report say it is blurred."""

from __future__ import annotations

import re

import pytest

from eap.i18n import REQUESTER_LANGUAGES

PAGES = ("/", "/packages", "/faq", "/privacy", "/imprint", "/accessibility", "/cookies",
         "/emergency", "/offer")
# "below five", "fewer than 5", "unter fünf", "mindestens fünf", "< 5", "ab 5 Anfragen" …
NUMBER = r"(?:5(?![.,]\d)|five|fünf|fünfte?n?|beş|خمس\w*|пят\w*|п'ят\w*)"
MINIMUM = re.compile(
    rf"(?:below|under|fewer than|less than|at least|minimum of|unter|weniger als|mindestens|"
    rf"ab|kleiner als|altında|az|أقل من|менее|меньше|не менее|менше|щонайменше)\s+{NUMBER}\b"
    rf"|&lt;\s*5\b|<\s*5\b|{NUMBER}\s+(?:requests|Anfragen)\s+(?:or more|oder mehr)",
    re.IGNORECASE)
DESCRIBES = {"/": ("blurred", "verrauscht", "unscharf"),
             "/faq": ("blurred", "verrauscht", "unscharf"),
             "/privacy": ("blurred", "verrauscht", "unscharf")}


def visible_text(html: str) -> str:
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def test_the_pattern_sees_a_minimum_count():
    for promise in ("never a number below five", "nie eine Zahl unter fünf", "< 5 requests",
                    "fewer than 5 people", "mindestens 5 Anfragen"):
        assert MINIMUM.search(promise), promise
    assert not MINIMUM.search("a number such as 0, 1 or 4 can appear; ±5 in 9 of 10 quarters")
    assert not MINIMUM.search("Standorte ab 5.000 Plätzen")


@pytest.mark.parametrize("language", list(REQUESTER_LANGUAGES))
def test_no_public_page_mentions_a_minimum_count(client, language):
    with client.session_transaction() as browser_session:
        browser_session["lang"] = language
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.get_data(as_text=True))
        found = MINIMUM.search(text)
        assert found is None, (language, url, text[max(found.start() - 80, 0):found.end() + 40])


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_pages_that_describe_the_report_say_it_is_blurred(client, language):
    with client.session_transaction() as browser_session:
        browser_session["lang"] = language
    for url, words in DESCRIBES.items():
        text = visible_text(client.get(url).get_data(as_text=True)).lower()
        assert any(word in text for word in words), (language, url)
