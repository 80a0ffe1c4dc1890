"""Referral follow-up: the requester agrees, is asked after the configured days whether they
reached the service and whether it helped; only counts reach the admin figures."""

from __future__ import annotations

import sqlalchemy as sa

from eap.counselling.follow_up import ReferralFollowUp
from eap.counselling.models import CaseReferral, ReferralService
from eap.extensions import db
from eap.requests.models import ServiceCounter
from tests.conftest import CSRF_RE, post_form
from tests.counselling.appointment_helpers import assign_only_case
from tests.counselling.conftest import case_post, load_case
from tests.requests.conftest import send_request

CONSENT_Q = "whether you reached this service"
QUESTION = "Did you reach this service?"


def _referred(app, client, staff_client) -> tuple[str, int]:
    assert send_request(client).status_code == 302
    staff, counsellor = staff_client()
    public_id = assign_only_case(app, counsellor.id)
    with app.app_context():
        service = ReferralService(name="Schuldnerberatung Siegen", details="")
        db.session.add(service)
        db.session.commit()
        service_id = service.id
    answer = case_post(staff, load_case(app, public_id), "referral",
                       {"service": service_id, "note": "Termin dort vereinbaren"})
    assert answer.status_code in (302, 303)
    with app.app_context():
        referral_id = db.session.scalar(sa.select(CaseReferral.id))
    return public_id, referral_id


def _post(client, public_id: str, action: str, data: dict):
    url = f"/help/requests/{public_id}"
    token = CSRF_RE.search(client.get(url).get_data(as_text=True)).group(1)
    return client.post(f"{url}/referral-follow-up/{action}", data={"csrf_token": token, **data})


def _figures(app) -> dict:
    with app.app_context():
        return dict(db.session.execute(
            sa.select(ServiceCounter.value, ServiceCounter.count)
            .where(ServiceCounter.dimension == "referral_follow_up")).all())


def test_consent_then_the_question_after_the_days_then_counts_only(
    app, client, signed_up, staff_client
):
    app.config["REFERRAL_FOLLOW_UP_DAYS"] = 14
    public_id, referral_id = _referred(app, client, staff_client)
    page = client.get(f"/help/requests/{public_id}").get_data(as_text=True)
    assert CONSENT_Q in page and "Schuldnerberatung Siegen" in page
    assert "Termin dort vereinbaren" not in page  # the counsellor's note stays internal
    assert _post(client, public_id, "consent", {"referral": referral_id, "consent": "yes"}
                 ).status_code == 303
    page = client.get(f"/help/requests/{public_id}").get_data(as_text=True)
    assert CONSENT_Q not in page and QUESTION not in page  # not yet: 14 days
    # answering early is refused
    _post(client, public_id, "answer", {"referral": referral_id, "reached": "yes",
                                        "helped": "yes"})
    assert _figures(app) == {}

    with app.app_context():  # two weeks later
        follow = db.session.get(ReferralFollowUp, referral_id)
        follow.ask_on = follow.ask_on.replace(year=follow.ask_on.year - 1)
        db.session.commit()
    assert QUESTION in client.get(f"/help/requests/{public_id}").get_data(as_text=True)
    assert _post(client, public_id, "answer", {"referral": referral_id, "reached": "yes",
                                               "helped": "partly"}).status_code == 303
    _post(client, public_id, "answer", {"referral": referral_id, "reached": "no"})  # once only
    assert _figures(app) == {"reached": 1, "helped_partly": 1}
    assert QUESTION not in client.get(f"/help/requests/{public_id}").get_data(as_text=True)

def test_the_admin_figures_show_the_counts(app, client, signed_up, staff_client):
    public_id, referral_id = _referred(app, client, staff_client)
    _post(client, public_id, "consent", {"referral": referral_id, "consent": "yes"})
    with app.app_context():
        follow = db.session.get(ReferralFollowUp, referral_id)
        follow.ask_on = follow.ask_on.replace(year=follow.ask_on.year - 1)
        db.session.commit()
    _post(client, public_id, "answer", {"referral": referral_id, "reached": "no"})
    admin, _member = staff_client("admin")
    page = admin.get("/staff/figures/").get_data(as_text=True)
    assert "Referral follow-up: answers per month" in page
    assert _figures(app) == {"not_reached": 1}


def test_no_consent_no_question_and_others_cannot_answer(
    app, client, signed_up, staff_client, working_code
):
    public_id, referral_id = _referred(app, client, staff_client)
    assert _post(client, public_id, "consent", {"referral": referral_id, "consent": "no"}
                 ).status_code == 303
    page = client.get(f"/help/requests/{public_id}").get_data(as_text=True)
    assert CONSENT_Q not in page and QUESTION not in page
    stranger = app.test_client()
    from tests.requests.conftest import sign_up

    _org, code = working_code()
    sign_up(stranger, code)
    url = f"/help/requests/{public_id}/referral-follow-up/consent"
    assert post_form(stranger, url, {"referral": referral_id, "consent": "yes"},
                     from_url="/help/requests/").status_code == 404
