"""Counters: written at the milestones of a request, no link back, kept after erasure."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from eap.extensions import db
from eap.models import utcnow
from eap.reports import hr_report, periods
from eap.requests import counters, owndata
from eap.requests.models import HelpRequest, RequesterAccount, ServiceCounter, UsageCounter
from tests.conftest import count
from tests.reports.conftest import add_requests, in_quarter, last_quarter
from tests.requests.conftest import send_request, sign_up

LINKS = {"case_id", "account_id", "help_request_id", "requester_id", "public_id"}


def service(dimension: str) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(ServiceCounter.value, sa.func.sum(ServiceCounter.count))
        .where(ServiceCounter.dimension == dimension).group_by(ServiceCounter.value)
    )
    return dict(rows.all())


def usage(dimension: str) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(UsageCounter.value, sa.func.sum(UsageCounter.count))
        .where(UsageCounter.dimension == dimension).group_by(UsageCounter.value)
    )
    return dict(rows.all())


def test_counters_have_no_column_that_could_lead_back():
    for model in (UsageCounter, ServiceCounter):
        assert not LINKS & set(model.__table__.columns.keys())
        assert not any(fk.column.table.name in ("help_requests", "requester_accounts")
                       for fk in model.__table__.foreign_keys)


def test_a_request_made_in_the_portal_is_counted_once(app, client, make_contract,
                                                      make_access_code, make_organisation):
    organisation = make_organisation()
    make_contract(organisation=organisation)
    _code, plain = make_access_code(organisation)
    sign_up(client, plain)
    assert send_request(client).status_code == 302
    with app.app_context():
        assert service(counters.AREA) == {"psychological": 1}
        total = db.session.scalar(sa.select(UsageCounter.count).where(
            UsageCounter.dimension == "total"))
        assert total == 1


def test_first_response_and_closing_are_counted(app, make_organisation, make_staff):
    organisation = make_organisation()
    counsellor = make_staff()
    on_time, late = add_requests(app, organisation, 2)
    with app.app_context():
        for case_id, in_time in ((on_time, True), (late, False)):
            case = db.session.get(HelpRequest, case_id)
            case.assigned_staff_id = counsellor.id
            counters.record_first_response(case, on_time=in_time)
            case.closed_at = utcnow()
            counters.record_closed(case)
        db.session.commit()
        assert service(counters.FIRST_RESPONSE) == {"on_time": 1, "late": 1}
        assert service(counters.COUNSELLOR) == {str(counsellor.id): 2}
        assert service(counters.CLOSED) == {"all": 2}


def test_reports_stay_right_after_erasure_and_purge(app, reporting_org):
    organisation, _owner, code = reporting_org
    ids = add_requests(app, organisation, 9, at=in_quarter(last_quarter()), code=code)
    with app.app_context():
        before = hr_report.build(organisation.id, last_quarter())
        accounts = db.session.scalars(sa.select(RequesterAccount)).all()
        owndata.erase(accounts[0])  # a requester erases their data
        db.session.execute(sa.delete(HelpRequest).where(HelpRequest.id.in_(ids)))  # purge
        db.session.execute(sa.delete(RequesterAccount))
        db.session.commit()
        assert count(HelpRequest) == 0 and count(RequesterAccount) == 0
        after = hr_report.build(organisation.id, last_quarter())
        assert after == before  # the stored release
        assert service(counters.AREA) == {"psychological": 9}
        assert usage("y_area") == {"psychological": 9}



def test_the_report_counts_one_request_per_account_and_year(app, client, make_contract,
                                                            make_access_code,
                                                            make_organisation):
    """The bound the differential privacy rests on: a second request of the same account in
    the same year changes no report counter (the exact staff counters still see it)."""
    organisation = make_organisation()
    make_contract(organisation=organisation)
    _code, plain = make_access_code(organisation)
    sign_up(client, plain)
    for _ in range(3):
        assert send_request(client).status_code == 302
    with app.app_context():
        assert usage("total") == {"all": 3}
        assert usage("y_area") == {"psychological": 1}
        assert usage(counters.QUARTER_AREA) == {}  # the earlier design's counter: not written
        assert usage("y_topic") == {"stress": 1} or sum(usage("y_topic").values()) == 1
        assert sum(usage("y_site").values()) == 1


def test_an_account_counts_once_a_year_in_its_first_quarter(app, reporting_org):
    """Issue 27: the quarter figures are "people who asked for the first time this year", so one
    person is in one quarter release of a year only (parallel composition across quarters)."""
    organisation, _owner, code = reporting_org
    last = last_quarter()
    asked = [periods.year_before(last), periods.year_before(last),
             periods.shift_quarter(last, -3), periods.shift_quarter(last, -1), last]
    [first] = add_requests(app, organisation, 1, at=in_quarter(asked[0]), code=code)
    with app.app_context():
        account = db.session.get(HelpRequest, first).account
        for quarter in asked[1:]:
            case = HelpRequest(
                account_id=account.id, organisation_id=organisation.id,
                submission_id=secrets.token_hex(8), area="social", topic="debt",
                for_whom="self", urgency="normal", priority=3, preferred_contact="phone",
                language="de", description="x", response_due_at=utcnow(),
                created_at=in_quarter(quarter))
            db.session.add(case)
            db.session.flush()
            counters.record_request(case)
        db.session.commit()
        counted = {}
        for dimension in ("y_requester_type", "y_area", "y_contact"):
            counted[dimension] = dict(db.session.execute(
                sa.select(UsageCounter.quarter, sa.func.sum(UsageCounter.count))
                .where(UsageCounter.dimension == dimension)
                .group_by(UsageCounter.quarter)).all())
        firsts = {}
        for quarter in asked:
            firsts.setdefault(quarter[:4], quarter)
        expected = {quarter: 1 for quarter in firsts.values()}
        assert counted == dict.fromkeys(counted, expected)
        assert db.session.get(RequesterAccount, account.id).counted_quarter == firsts[last[:4]]


def test_only_the_counters_module_writes_counters():
    """One owner of every counter write (issue 13): no other module names the counter models
    in an insert or update."""
    import pathlib
    import re

    models = "(UsageCounter|ServiceCounter)"
    pattern = re.compile(rf"(?<!class ){models}\(|update\({models}")
    root = pathlib.Path(__file__).resolve().parents[2] / "eap"
    assert pattern.search("db.session.add(UsageCounter(organisation_id=1))")  # sees a write
    writers = {str(path.relative_to(root)) for path in root.rglob("*.py")
               if pattern.search(path.read_text())}
    # eap/requests/counters.py itself writes through one generic upsert (``_upsert(model, …)``),
    # so no module at all names a counter model in an insert or update.
    assert writers == set(), writers
