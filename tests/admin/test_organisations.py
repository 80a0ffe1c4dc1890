"""The organisations overview: contract status, seats, contract end and recurring revenue."""

from __future__ import annotations

import re
from datetime import timedelta

from eap.admin import organisations
from eap.billing import pricing
from eap.models import utcnow

URL = "/staff/admin/organisations/"


def total_shown(page: str) -> str:
    return re.search(r'id="total-mrr">([^<]+)<', page).group(1)


def test_mrr_counts_only_paid_contracts(
    app, admin_client, make_organisation, make_package, make_contract, english
):
    package = make_package(price_month_cents=400, price_year_cents=4300)
    later, earlier = utcnow() + timedelta(days=20), utcnow() - timedelta(days=1)
    make_contract(package=package, seats=50)  # 50 × 4 € = 200 €
    make_contract(package=package, seats=12, interval="year")  # 12 × 43 € / 12 = 43 €
    make_contract(package=package, seats=10, status="past_due")  # 40 €
    make_contract(package=package, seats=5, status="cancelled", current_period_end=later)  # 20 €
    make_contract(package=package, seats=7, status="cancelled", current_period_end=earlier)
    make_contract(package=package, seats=9, status="pending")
    make_contract(package=package, seats=11, status="ended")
    make_organisation(name="Without contract")
    with app.app_context():
        assert organisations.total_mrr_cents() == 20000 + 4300 + 4000 + 2000
    page = admin_client.get(URL).get_data(as_text=True)
    assert total_shown(page) == "€303.00"
    assert "Without contract" in page and "No contract" in page
    assert later.date().isoformat() not in page  # dates are shown formatted, not raw


def test_yearly_mrr_is_rounded_half_up(app, make_package, make_contract):
    package = make_package(price_year_cents=1001)
    make_contract(package=package, seats=1, interval="year")  # 83.416… cents
    with app.app_context():
        assert organisations.total_mrr_cents() == 83
    assert pricing.monthly_cents(1, "year", package) == 83
    assert pricing.monthly_cents(3, "year", package) == 250  # 250.25


def test_current_contract_is_the_newest_running_one(
    admin_client, make_organisation, make_package, make_contract, english
):
    org = make_organisation(name="Switcher GmbH")
    make_contract(organisation=org, package=make_package(name_en="Old package"), status="ended")
    make_contract(organisation=org, package=make_package(name_en="New package"), seats=33)
    page = admin_client.get(URL).get_data(as_text=True)
    row = re.search(r"<tr>\s*<td>Switcher GmbH</td>.*?</tr>", page, re.S).group(0)
    assert "New package" in row and "33" in row and "Old package" not in row


def test_filter_by_status(admin_client, make_organisation, make_contract):
    make_contract(organisation=make_organisation(name="Paying AG"))
    make_contract(organisation=make_organisation(name="Overdue KG"), status="past_due")
    make_organisation(name="Prospect eG")
    page = admin_client.get(URL + "?status=past_due").get_data(as_text=True)
    assert "Overdue KG" in page and "Paying AG" not in page and "Prospect eG" not in page
    page = admin_client.get(URL + "?status=none").get_data(as_text=True)
    assert "Prospect eG" in page and "Paying AG" not in page
    # An unknown filter shows everything instead of failing.
    page = admin_client.get(URL + "?status=<script>").get_data(as_text=True)
    assert "Paying AG" in page and "<script>" not in page


def test_cancelled_contract_shows_its_end(app, admin_client, make_contract, english):
    end = utcnow() + timedelta(days=40)
    make_contract(status="cancelled", current_period_end=end)
    page = admin_client.get(URL).get_data(as_text=True)
    assert "Cancelled at the end of the period" in page
    assert str(end.year) in page


def names_on(page: str) -> list[str]:
    return re.findall(r"<tr>\s*<td>(Org \d+)</td>", page)


def next_link(page: str) -> str | None:
    match = re.search(r'href="([^"]*after=[^"]*)">Next page', page)
    return match.group(1).replace("&amp;", "&") if match else None


def test_keyset_pagination_walks_every_organisation_once(
    app, admin_client, make_organisation, make_contract, english
):
    from eap.employers.models import Organisation
    from eap.extensions import db

    with app.app_context():
        db.session.add_all(
            Organisation(name=f"Org {n:03d}", billing_email=f"b{n}@x.example") for n in range(120)
        )
        db.session.commit()
    seen, url, pages = [], URL, 0
    while url:
        page = admin_client.get(url).get_data(as_text=True)
        seen += names_on(page)
        url, pages = next_link(page), pages + 1
    assert pages == 3
    assert seen == [f"Org {n:03d}" for n in range(120)]


def test_sorting_by_status_pages_correctly(app, admin_client, make_organisation, make_contract):
    from eap.admin import keyset

    for n in range(60):
        org = make_organisation(name=f"Org {n:03d}")
        if n % 3:
            make_contract(organisation=org, status="active" if n % 3 == 1 else "past_due")
    with app.app_context():
        first, cursor = organisations.overview("", "status", None)
        second, last = organisations.overview("", "status", cursor)
    rows = first + second
    assert last is None and len(rows) == 60
    keys = [(row.status, row.organisation.name) for row in rows]
    assert keys == sorted(keys)
    assert keyset.decode(cursor, (str, str, int)) is not None


def test_a_broken_cursor_shows_the_first_page(admin_client, make_organisation):
    make_organisation(name="Org 001")
    for cursor in ("garbage", "W10", "WyJhIiwiYiJd", "x" * 600):
        response = admin_client.get(f"{URL}?after={cursor}")
        assert response.status_code == 200 and "Org 001" in response.get_data(as_text=True)
