"""The whole HR report, built from random counters: nothing hidden can be worked out.

Every breakdown of the quarter (area, topic group, requester type, contact channel, site) is
checked against the shown total; the year-ago column must be exactly what that quarter's own
report shows (two pages never show one quarter in two ways); a running quarter is never shown.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eap.employers.models import AccessCode
from eap.extensions import db
from eap.reports import hr_report, periods
from eap.requests import choices
from eap.requests.models import UsageCounter
from tests.reports.checker import assert_safe

request = st.tuples(
    st.sampled_from(list(choices.AREAS)),
    st.sampled_from(list(choices.TOPICS)),
    st.sampled_from(list(choices.REQUESTER_TYPES)),
    st.sampled_from(list(choices.CONTACTS)),
    st.integers(min_value=0, max_value=2),  # which of the three codes
)
population = st.lists(request, max_size=45)


def store(organisation_id: int, quarter: str, requests, code_ids) -> None:
    cells = Counter()
    for area, topic, kind, contact, site in requests:
        cells[("total", "all")] += 1
        cells[("area", area)] += 1
        cells[("topic", topic)] += 1
        cells[("requester_type", kind)] += 1
        cells[("contact", contact)] += 1
        cells[("access_code", str(code_ids[site]))] += 1
    for (dimension, value), count in cells.items():
        db.session.add(UsageCounter(organisation_id=organisation_id, quarter=quarter,
                                    dimension=dimension, value=value, count=count))
    db.session.flush()


def column(section, which: str) -> dict[str, str]:
    return {row.label: getattr(row, which) for row in section.rows}


@given(now=population, before=population)
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_hidden_cell_can_be_recomputed_from_the_report(app, reporting_org, make_access_code,
                                                          now, before):
    organisation, _owner, primary = reporting_org
    quarter = periods.last_completed_quarter()
    # Built in English: the checker reads the cell texts "< 5" and "hidden".
    with app.test_request_context(headers={"Accept-Language": "en"}):
        codes = db.session.scalars(sa.select(AccessCode).where(
            AccessCode.organisation_id == organisation.id)).all()
        if len(codes) == 1:
            for label in ("Werk Nord", "Werk Süd"):
                make_access_code(organisation, label=label, primary=False)
            codes = db.session.scalars(sa.select(AccessCode).where(
                AccessCode.organisation_id == organisation.id)).all()
        for code in codes:  # the codes existed in both quarters
            code.created_at = periods.quarter_start(periods.year_before(quarter)) - timedelta(1)
        db.session.execute(sa.delete(UsageCounter))
        code_ids = sorted(code.id for code in codes)
        store(organisation.id, quarter, now, code_ids)
        store(organisation.id, periods.year_before(quarter), before, code_ids)

        report = hr_report.build(organisation.id, quarter)
        earlier = hr_report.build(organisation.id, periods.year_before(quarter))
        db.session.rollback()

    assert report.reportable == (len(now) >= 5)
    if not report.reportable:
        assert report.sections == [] and report.total == ""
        return
    assert report.total == str(len(now))
    assert {s.key for s in report.sections} == {
        "area", "topic_group", "requester_type", "contact", "site"}
    for section in report.sections:
        texts = [row.now for row in section.rows if row.now != "–"]
        if not section.withheld_now:
            assert_safe(texts, len(now))
        # the year-ago column is that quarter's own page, cell for cell
        if earlier.reportable:
            own = column(next(s for s in earlier.sections if s.key == section.key), "now")
            for label, text in column(section, "before").items():
                assert text == own.get(label, "–")
        else:
            assert all(row.before == "–" for row in section.rows)
