"""A new version of the terms, published while HR users are signed in: owners are sent to accept
it from every HR page, other HR users see a notice, and nothing can be bought until accepted."""

import shutil

import pytest
import sqlalchemy as sa

from eap.billing.models import Contract
from eap.employers import terms
from eap.employers.terms_models import DOCUMENTS, TermsAcceptance
from eap.extensions import db
from tests.conftest import count, login_hr, persist, post_form

NEW = "2099-01"
ORDER = {"package": 1, "seats": 30, "interval": "year", "method": "invoice", "accept_terms": "yes"}


def _english(client):
    with client.session_transaction() as browser_session:
        browser_session["lang"] = "en"


def _clear_caches():
    terms.versions.cache_clear()
    terms.load.cache_clear()


@pytest.fixture
def publish(tmp_path):
    """Publish version ``NEW`` of both documents (as a deploy would), undone after the test."""
    original = terms.LEGAL

    def publish_new():
        shutil.copytree(original, tmp_path / "legal")
        for document in DOCUMENTS:
            for language in terms.LANGUAGES:
                old = terms.current_version(document)
                shutil.copy(original / document / f"{old}.{language}.md",
                            tmp_path / "legal" / document / f"{NEW}.{language}.md")
        terms.LEGAL = tmp_path / "legal"
        _clear_caches()

    yield publish_new
    terms.LEGAL = original
    _clear_caches()


@pytest.fixture
def organisation(app, make_organisation, make_hr_user):
    """An organisation that accepted the versions in force, with an owner and a billing user."""
    organisation = make_organisation()
    owner = make_hr_user(organisation=organisation)
    billing = make_hr_user(organisation=organisation, role="billing")
    for document in DOCUMENTS:
        persist(app, TermsAcceptance(organisation_id=organisation.id, document=document,
                                     version=terms.current_version(document), hr_user_id=owner.id))
    return owner, billing, organisation


def test_an_owner_signed_in_is_sent_to_accept_a_new_version_from_every_page(
        app, client, organisation, publish):
    owner, _billing, _organisation = organisation
    login_hr(client, owner)
    _english(client)
    assert client.get("/hr/contract/new").status_code == 200
    assert client.get("/hr/access/").status_code == 200
    publish()
    for page in ("/hr/contract/", "/hr/access/", "/hr/", "/hr/team/", "/hr/reports/"):
        answer = client.get(page)
        assert answer.status_code == 303, page
        assert answer.headers["Location"].startswith("/hr/terms/accept?next=")
    # Still open: the acceptance page, the terms overview and the new PDFs.
    accept = client.get("/hr/terms/accept?next=/hr/contract/")
    assert accept.status_code == 200 and NEW in accept.get_data(as_text=True)
    assert client.get("/hr/terms/").status_code == 200
    assert client.get(f"/legal/terms/{NEW}.pdf").data.startswith(b"%PDF")
    # An order is refused on the server, not only hidden: nothing is bought or accepted.
    refused = post_form(client, "/hr/contract/new", ORDER, from_url="/hr/terms/accept")
    assert refused.status_code == 303 and refused.headers["Location"].startswith(
        "/hr/terms/accept")
    assert "Nothing was ordered or changed" in client.get(
        refused.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert count(Contract) == 0
        assert not terms.has_accepted_current(owner.organisation_id)
    # Accepted: every page works again, and the order reaches the order form's own checks.
    done = post_form(client, "/hr/terms/accept", {"accept_terms": "yes", "next": "/hr/contract/"})
    assert done.headers["Location"] == "/hr/contract/"
    with app.app_context():
        assert terms.accepted_versions(owner.organisation_id) == {d: NEW for d in DOCUMENTS}
    assert client.get("/hr/contract/new").status_code == 200
    assert client.get("/hr/access/").status_code == 200
    not_ticked = post_form(client, "/hr/contract/new", {**ORDER, "accept_terms": ""},
                           from_url="/hr/contract/new")
    assert "/hr/contract/new/review" in not_ticked.headers["Location"]


def test_other_hr_users_see_a_notice_and_cannot_buy(app, client, organisation, publish,
                                                    make_contract):
    _owner, billing, customer = organisation
    contract = make_contract(organisation=customer, seats=50)
    login_hr(client, billing)
    _english(client)
    publish()
    page = client.get("/hr/contract/")
    assert page.status_code == 200
    assert 'data-testid="terms-renewal-notice"' in page.get_data(as_text=True)
    # Only an owner may accept for the organisation.
    assert post_form(client, "/hr/terms/accept", {"accept_terms": "yes"},
                     from_url="/hr/contract/").status_code == 403
    for url, data in (("/hr/contract/new", ORDER),
                      ("/hr/contract/seats", {"seats": 60, "version": contract.version})):
        refused = post_form(client, url, data, from_url="/hr/contract/")
        assert refused.status_code == 303 and refused.headers["Location"] == "/hr/contract/", url
    assert "Nothing was ordered or changed" in client.get(
        "/hr/contract/").get_data(as_text=True)
    with app.app_context():
        assert count(Contract) == 1 and db.session.get(Contract, contract.id).seats == 50
        assert db.session.scalar(sa.select(sa.func.count()).where(
            TermsAcceptance.version == NEW)) == 0


def test_no_terms_query_per_request_while_nothing_changed(app, client, organisation, publish):
    owner, _billing, _organisation = organisation
    login_hr(client, owner)
    statements = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        client.get("/hr/access/")
        assert not [s for s in statements if "terms_acceptances" in s]
        publish()  # a new version: the next request looks once more
        client.get("/hr/access/")
        assert [s for s in statements if "terms_acceptances" in s]
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
