"""Two first views of a quarter at the same moment store one release and show the same numbers
(PostgreSQL: real concurrent transactions; SQLite serialises writers anyway)."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import login_hr
from tests.reports.conftest import add_requests, in_quarter, last_quarter, releases


def main_of(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def test_two_first_views_at_once_draw_one_release(app, reporting_org, _schema):
    if _schema.startswith("sqlite"):
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises them anyway)")
    organisation, owner, code = reporting_org
    add_requests(app, organisation, 25, at=in_quarter(last_quarter()), code=code)
    clients = [app.test_client() for _ in range(3)]
    for client in clients:
        with client.session_transaction() as browser_session:
            browser_session["lang"] = "en"
        login_hr(client, owner)
    pages: list[str] = []
    barrier = threading.Barrier(len(clients))

    def view(client):
        barrier.wait()
        response = client.get("/hr/reports/")
        pages.append(main_of(response.get_data(as_text=True)) if response.status_code == 200
                     else str(response.status_code))

    threads = [threading.Thread(target=view, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(pages) == len(clients) and len(set(pages)) == 1, pages
    stored = releases(app, organisation.id)
    keys = [(kind, period) for kind, period, _cells, _eps in stored]
    # Each period shown is drawn once (this year's quarters, last year's, the year): no twins.
    assert keys and len(keys) == len(set(keys)), keys
    # A later view draws nothing new: what the race stored is what everyone keeps seeing.
    again = clients[0].get("/hr/reports/")
    assert main_of(again.get_data(as_text=True)) == pages[0]
    assert len(releases(app, organisation.id)) == len(keys)
