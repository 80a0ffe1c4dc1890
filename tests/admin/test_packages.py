"""Administrators keep the service packages: create, edit, retire, reactivate."""

from __future__ import annotations

import sqlalchemy as sa

from eap.billing.models import Contract
from eap.extensions import db
from eap.packages.models import ServicePackage
from eap.packages.services import active_packages
from tests.conftest import post_form

NEW = "/staff/admin/packages/new"


def package_data(**changes) -> dict:
    data = {
        "slug": "familie",
        "name_de": "Familie",
        "name_en": "Family",
        "description_de": "Beratung für die ganze Familie.",
        "description_en": "Counselling for the whole family.",
        "areas": ["psychological", "social"],
        "dependants_included": "y",
        "response_hours": "24",
        "urgent_response_hours": "8",
        "price_month_cents": "4,50",
        "price_year_cents": "48.60",
        "sort_order": "5",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def find(app, slug: str) -> ServicePackage | None:
    with app.app_context():
        package = db.session.scalar(sa.select(ServicePackage).where(ServicePackage.slug == slug))
        if package is not None:
            db.session.expunge(package)
        return package


def test_list_names_the_stripe_command(admin_client, make_package, english):
    make_package(name_en="Visible package")
    page = admin_client.get("/staff/admin/packages/").get_data(as_text=True)
    assert "Visible package" in page
    assert "flask --app eap sync-stripe" in page


def test_create_package_stores_cents_and_audits(app, admin, admin_client, audit_entries):
    response = post_form(admin_client, NEW, package_data())
    assert response.status_code == 303
    package = find(app, "familie")
    assert package.price_month_cents == 450 and package.price_year_cents == 4860
    assert package.areas == "psychological,social" and package.dependants_included
    assert (package.response_hours, package.urgent_response_hours) == (24, 8)
    assert package.active and package.sort_order == 5
    assert audit_entries("package.create") == [
        (admin.id, "admin", "package.create", "service_package", str(package.id))
    ]


def test_invalid_package_is_explained(app, admin_client, english):
    response = post_form(
        admin_client,
        NEW,
        package_data(
            slug="Mit Leerzeichen", areas=None, price_month_cents="4,555",
            price_year_cents="0", urgent_response_hours="48",
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Use lower-case letters a–z, digits and hyphens only." in page
    assert "Choose at least one area." in page
    assert "at most two decimals" in page
    assert "Enter a price above 0 €." in page
    assert "Urgent requests cannot be promised a slower answer" in page
    assert find(app, "Mit Leerzeichen") is None


def test_slug_must_be_unique(admin_client, make_package, english):
    make_package(slug="plus")
    response = post_form(admin_client, NEW, package_data(slug="plus"))
    assert response.status_code == 200
    assert "A package with this key exists already." in response.get_data(as_text=True)


def test_edit_changes_everything_but_the_slug(app, admin_client, make_package, audit_entries):
    package = make_package(slug="basis")
    url = f"/staff/admin/packages/{package.id}"
    page = admin_client.get(url).get_data(as_text=True)
    assert 'value="4,00"' in page  # prices shown in euro, German style
    response = post_form(
        admin_client, url, package_data(slug="renamed", name_en="Basic", price_month_cents="3")
    )
    assert response.status_code == 303
    assert find(app, "renamed") is None
    changed = find(app, "basis")
    assert changed.name_en == "Basic" and changed.price_month_cents == 300
    assert audit_entries("package.update")[0][3:] == ("service_package", str(package.id))


def test_retire_keeps_contracts_and_hides_the_package(
    app, admin_client, make_package, make_contract, audit_entries
):
    package = make_package()
    contract = make_contract(package=package, seats=40)
    url = f"/staff/admin/packages/{package.id}/retire"
    assert post_form(admin_client, url, from_url="/staff/admin/packages/").status_code == 303
    with app.app_context():
        assert package.id not in [p.id for p in active_packages()]
        kept = db.session.get(Contract, contract.id)
        assert (kept.status, kept.package_id, kept.seats) == ("active", package.id, 40)
    url = f"/staff/admin/packages/{package.id}/reactivate"
    assert post_form(admin_client, url, from_url="/staff/admin/packages/").status_code == 303
    with app.app_context():
        assert package.id in [p.id for p in active_packages()]
    actions = [entry[2] for entry in audit_entries() if entry[3] == "service_package"]
    assert actions == ["package.retire", "package.reactivate"]


def test_unknown_package_is_404(admin_client):
    assert admin_client.get("/staff/admin/packages/999999").status_code == 404


def test_state_changes_need_post_and_csrf(admin_client, make_package):
    package = make_package()
    assert admin_client.get(f"/staff/admin/packages/{package.id}/retire").status_code == 405
    assert admin_client.post(f"/staff/admin/packages/{package.id}/retire").status_code == 400
