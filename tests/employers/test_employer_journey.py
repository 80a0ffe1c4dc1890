"""The employer's way in: package chosen before sign-up, every sign-up problem at once, a VAT
ID registered twice, billing address, terms renewal at an owner's sign-in, offer requests, the
announcement kit and the first-report sentence."""

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from eap.employers import terms
from eap.employers.models import Organisation
from eap.employers.offer_models import OfferRequest
from eap.employers.terms_models import TermsAcceptance
from eap.extensions import db
from eap.reports.first_report import first_report
from tests.conftest import count, login_hr, persist, post_form
from tests.employers.test_signup import FORM


@pytest.fixture
def app_settings(mailbox):
    return {**mailbox.settings, "ADMIN_ALERT_EMAIL": "admin@igus.example",
            "OFFER_REQUEST_EMAIL": "vertrieb@igus.example"}


def test_every_sign_up_problem_shows_at_once(app, english, make_hr_user):
    make_hr_user(email="erika@muster.example")
    page = post_form(english, "/hr/signup", {
        **FORM, "vat_id": "DE123456789", "password": "short", "confirm": "short",
        "billing_street": "Postfach 12", "city": "",
    }).get_data(as_text=True)
    for problem in ("This VAT ID is not valid", "at least 12 characters",
                    "Please complete the billing address", "This field is required"):
        assert problem in page, problem
    assert "exists already" not in page  # a taken address is never revealed (issue 14)
    assert "Please correct 5 entries" in page  # the summary names each field once
    with app.app_context():
        assert count(Organisation) == 1


def test_a_vat_id_registered_before_warns_then_tells_the_admins(app, english, mailbox,
                                                                make_organisation):
    make_organisation(name="Erste Muster gGmbH", vat_id="DE136695976")
    warned = post_form(english, "/hr/signup", FORM).get_data(as_text=True)
    assert "Another organisation has already signed up with this VAT ID" in warned
    assert 'name="vat_confirm"' in warned
    assert post_form(english, "/hr/signup", {**FORM, "vat_confirm": "y"}).status_code == 303
    alert = mailbox.body("admin@igus.example")
    assert "DE136695976" in alert and "Erste Muster gGmbH" in alert


def test_country_and_billing_address_are_stored(app, english):
    post_form(english, "/hr/signup", {
        **FORM, "country": "DE", "billing_name": "Muster Holding", "billing_street": "Postfach 9",
        "billing_postcode": "57001", "billing_city": "Siegen", "billing_country": "DE"})
    with app.app_context():
        organisation = db.session.scalar(sa.select(Organisation))
        assert (organisation.country, organisation.billing_name, organisation.billing_street,
                organisation.billing_city) == ("DE", "Muster Holding", "Postfach 9", "Siegen")


def test_the_chosen_package_and_employee_count_reach_the_order(app, english, mailbox,
                                                               make_package):
    package = make_package(slug="plus")
    packages = english.get("/packages").get_data(as_text=True)
    assert '/hr/signup?package=plus' in packages and "gross" in packages
    form = english.get("/hr/signup?package=plus").get_data(as_text=True)
    assert 'name="package" type="hidden" value="plus"' in form
    post_form(english, "/hr/signup", {**FORM, "package": "plus"})
    path = re.search(r"http://localhost(/hr/verify/\S+)", mailbox.body(
        "erika@muster.example")).group(1)
    confirmed = post_form(english, path)
    assert confirmed.headers["Location"] == f"/hr/contract/new?package={package.id}"
    choose = english.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert re.search(r'id="seats"[^>]*value="120"', choose)  # the employee count
    assert re.search(rf'value="{package.id}"[^>]*checked|checked[^>]*value="{package.id}"',
                     choose)


def test_a_new_terms_version_is_asked_at_the_owners_next_sign_in(app, client, make_hr_user,
                                                                 make_organisation):
    organisation = make_organisation()
    owner = make_hr_user(organisation=organisation)
    manager = make_hr_user(organisation=organisation, role="manager")
    for document in ("terms", "avv"):
        persist(app, TermsAcceptance(organisation_id=owner.organisation_id, document=document,
                                     version="2020-01", hr_user_id=owner.id))
    # A manager is not asked; the owner is, and accepting stores the new versions.
    assert login_hr(client, manager).headers["Location"] == "/hr/"
    client.post("/hr/logout", data={"csrf_token": ""})
    other = app.test_client()
    answer = login_hr(other, owner)
    assert answer.headers["Location"].startswith("/hr/terms/accept")
    post_form(other, "/hr/terms/accept", {"accept_terms": "yes", "next": "/hr/"})
    with app.app_context():
        assert terms.has_accepted_current(owner.organisation_id)
    assert login_hr(app.test_client(), owner).headers["Location"] == "/hr/"
    pdf = other.get(f"/legal/avv/{terms.current_version('avv')}.pdf?lang=en")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    status = other.get("/hr/terms/").get_data(as_text=True)
    assert "2020-01" in status and terms.current_version("terms") in status


def test_offer_request_is_stored_mailed_and_listed_for_admins(app, english, mailbox,
                                                             make_staff):
    answer = post_form(english, "/offer", {
        "organisation": "Diakonie Musterstadt", "employee_count": 2400,
        "contact_name": "Max Muster", "email": "max@diakonie.example",
        "message": "Wir haben 14 Standorte."})
    assert answer.status_code == 303
    assert "14 Standorte" in mailbox.body("vertrieb@igus.example")
    with app.app_context():
        offer = db.session.scalar(sa.select(OfferRequest))
        assert offer.status == "new" and offer.employee_count == 2400
    from tests.conftest import login_staff

    admin = app.test_client()
    login_staff(admin, make_staff(role="admin"))
    listing = admin.get("/staff/admin/offers").get_data(as_text=True)
    assert "Diakonie Musterstadt" in listing
    post_form(admin, f"/staff/admin/offers/{offer.id}/status", {"status": "contacted"},
              from_url="/staff/admin/offers")
    with app.app_context():
        assert db.session.get(OfferRequest, offer.id).status == "contacted"


def test_announcement_kit_has_link_and_code_in_both_languages(app, client, make_hr_user,
                                                              make_access_code, make_organisation):
    organisation = make_organisation()
    owner = make_hr_user(organisation=organisation)
    make_access_code(organisation=organisation)
    login_hr(client, owner)
    page = client.get("/hr/access/").get_data(as_text=True)
    code = re.search(r'data-testid="code"><code>([^<]+)</code>', page).group(1)
    for key in ("intranet-de", "intranet-en", "email-de", "email-en"):
        text = re.search(rf'id="kit-{key}"[^>]*>([^<]+)</textarea>', page).group(1)
        assert code in text and "/help/access?code=" in text, key
    assert 'data-copy="kit-email-en"' in page and "js/copy.js" in page


def test_first_report_date_and_reason(app, make_contract, make_organisation):
    organisation = make_organisation()
    make_contract(organisation=organisation,
                  created_at=datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    with app.app_context():
        first = first_report(organisation.id, now=datetime(2026, 12, 5, tzinfo=UTC))
        assert first.quarter == "2027Q1"
        assert first.appears_on.date().isoformat() == "2027-04-01"
        assert first_report(organisation.id, now=datetime(2027, 4, 2, tzinfo=UTC)) is None
