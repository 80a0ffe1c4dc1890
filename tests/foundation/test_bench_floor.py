"""The benchmark's second ceiling (bench/floor.py) must stay a real signed-in page: if it
answered a redirect or an error, its ratio would flatter the portal's signed-in pages."""

from __future__ import annotations

import re

from bench import floor


def test_floor_page_needs_the_sign_in_and_then_shows_the_user_and_a_token(tmp_path):
    url = f"sqlite:///{tmp_path}/floor.sqlite"
    floor.prepare(url)
    floor.prepare(url)  # a second run (the benchmark's next volume) finds its user in place
    client = floor.create_app(url).test_client()

    assert client.get("/home").status_code == 401
    assert client.get("/sign-in").status_code == 200
    page = client.get("/home")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Ada Beispiel" in text
    assert re.search(r'name="csrf_token" value="[^"]{40,}"', text)
