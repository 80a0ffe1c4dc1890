"""The five attacks of issue 13, run as a hostile HR user would: with the portal's own pages.

Each attack is played in two worlds that differ only in whether employee E asked. What HR can
rely on is what is the same every time it looks: the layout (tables, rows, quarters offered)
must be identical in both worlds, and the numbers must come from stored releases whose true
inputs differ by at most one person's bounded contribution (so the mechanism's ε, tested in
``test_mechanism.py``, is all HR can learn). Attack 1 is also measured end to end: over many
possible draws, HR's best guess from the page is right no more often than ε allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from eap.employers.models import AccessCode
from eap.extensions import db
from eap.reports import periods, release
from eap.reports.models import ReportRelease
from eap.requests.models import RequesterAccount, UsageCounter
from tests.conftest import login_hr, post_form
from tests.reports.conftest import add_requests, in_quarter, last_quarter, long_ago
from tests.reports.pages import page_tables
from tests.requests.conftest import send_request, sign_up

YEAR = str(int(periods.current_quarter()[:4]) - 1)
YEAR_START = periods.quarter_start(f"{YEAR}Q1")


@dataclass
class World:
    organisation_id: int
    hr: FlaskClient
    primary_plain: str


@pytest.fixture
def employer(app, make_organisation, make_contract, make_hr_user, make_access_code):
    def make(seats: int = 400) -> World:
        """400 seats: the "small" class; 5,000: "large", the one with sites."""
        organisation = make_organisation()
        make_contract(organisation=organisation, seats=seats, created_at=long_ago())
        _code, plain = make_access_code(organisation)
        hr = app.test_client()
        with hr.session_transaction() as browser_session:
            browser_session["lang"] = "en"
        login_hr(hr, make_hr_user(organisation=organisation))
        return World(organisation.id, hr, plain)

    return make


def new_code(app, world: World, label: str, seats: int) -> tuple[int, str]:
    """HR adds a code on its access page; (id, plain code)."""
    answer = post_form(world.hr, "/hr/access/codes", {"label": label, "seats": seats},
                       from_url="/hr/access/")
    assert answer.status_code == 303
    with app.app_context():
        code = db.session.scalars(sa.select(AccessCode).where(
            AccessCode.organisation_id == world.organisation_id).order_by(
            AccessCode.id.desc())).first()
        return code.id, code.code


def ask(app, plain: str, erase: bool = False, **fields) -> FlaskClient:
    """Someone signs up with a code and asks once (and, for HR's own padding, erases)."""
    client = app.test_client()
    sign_up(client, plain)
    assert send_request(client, **fields).status_code == 302
    if erase:
        assert post_form(client, "/help/account/delete", {"understood": "y"}).status_code == 302
    return client


def happened_in(app, world: World, quarter: str, codes_before=None, withdrawn=()) -> None:
    """Let time pass: what was done now is counted in ``quarter``; the codes existed (and the
    withdrawn ones were withdrawn) before that quarter's year started."""
    running = periods.current_quarter()
    with app.app_context():
        rows = db.session.scalars(sa.select(UsageCounter).where(
            UsageCounter.organisation_id == world.organisation_id,
            UsageCounter.quarter == running)).all()
        for row in rows:
            target = db.session.scalar(sa.select(UsageCounter).where(
                UsageCounter.organisation_id == row.organisation_id,
                UsageCounter.quarter == quarter, UsageCounter.dimension == row.dimension,
                UsageCounter.value == row.value))
            if target is None:
                row.quarter = quarter
            else:
                target.count += row.count
                db.session.delete(row)
        db.session.execute(sa.update(RequesterAccount).where(
            RequesterAccount.organisation_id == world.organisation_id).values(
            counted_quarter=quarter))
        db.session.execute(sa.update(AccessCode).where(
            AccessCode.organisation_id == world.organisation_id).values(
            created_at=codes_before or YEAR_START - timedelta(days=60)))
        for code_id in withdrawn:
            code = db.session.get(AccessCode, code_id)
            code.active, code.revoked_at = False, YEAR_START - timedelta(days=1)
        db.session.commit()


def page(world: World, quarter: str | None = None) -> str:
    response = world.hr.get("/hr/reports/" + (f"?quarter={quarter}" if quarter else ""))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html[html.index("<main"):html.index("</main>")]


def layout_of(html: str) -> list:
    """Everything but the numbers: tables, their row labels, the quarters offered."""
    options = [part.split('"')[1] for part in html.split("<option")[1:]]
    return [options] + [(t["caption"], [row[0] for row in t["rows"]]) for t in page_tables(html)]


def inputs(app, world: World) -> dict:
    """The true vectors the stored releases were drawn from."""
    with app.app_context():
        stored = db.session.scalars(sa.select(ReportRelease).where(
            ReportRelease.organisation_id == world.organisation_id)).all()
        result = {}
        for item in stored:
            plan = release.plan_of(world.organisation_id, item.kind, item.period)
            counts = release.true_counts(world.organisation_id, item.kind, item.period, plan)
            result[(item.kind, item.period)] = (counts, item.epsilon)
        return result


def assert_no_reliable_difference(app, asked: World, silent: World, quarter=None) -> None:
    with_e, without_e = page(asked, quarter), page(silent, quarter)
    assert layout_of(with_e) == layout_of(without_e)
    first, second = inputs(app, asked), inputs(app, silent)
    assert first.keys() == second.keys() and first
    for key, (counts, epsilon) in first.items():
        other = second[key][0]
        assert counts.keys() == other.keys()
        distance = sum(abs(a - b) for series in counts
                       for a, b in zip(counts[series], other[series], strict=True))
        # one person: one count per released series at most
        assert distance <= len(counts), (key, counts, other)
        assert epsilon <= 1
    # a person's calendar year: the one quarter of their first request and the year's vector
    for year in {period[:4] for _kind, period in first}:
        quarters = [e for (kind, period), (_c, e) in first.items()
                    if kind == "quarter" and period[:4] == year]
        yearly = first.get(("year", year), (None, 0.0))[1]
        assert max(quarters, default=0.0) + yearly <= 1 + 1e-9


def best_guess_accuracy(first: list[int], second: list[int]) -> float:
    """How often HR's best threshold rule on the number tells the two worlds apart."""
    best = 0.5
    for threshold in set(first) | set(second):
        right = sum(v >= threshold for v in first) + sum(v < threshold for v in second)
        best = max(best, right / (len(first) + len(second)),
                   1 - right / (len(first) + len(second)))
    return best


def site_value(world: World, label: str) -> int:
    tables = {t["caption"]: t["rows"] for t in page_tables(page(world))}
    rows = {row[0]: row[1] for row in tables[f"Site, year {YEAR}"][1:]}
    return int(rows[label])


def test_attack_1_padding_a_code_with_own_erased_accounts(app, employer):
    """HR gives a fresh code to E and files four requests through it itself, then erases."""
    worlds = []
    for e_asks in (True, False):
        world = employer(seats=5000)
        add_requests(app, db_org(app, world), 30, at=in_quarter(f"{YEAR}Q2"))
        _code_id, plain = new_code(app, world, "Projekt", 400)
        for _ in range(4):
            ask(app, plain, erase=True)
        if e_asks:
            ask(app, plain)
        happened_in(app, world, f"{YEAR}Q2")
        worlds.append(world)
    asked, silent = worlds
    assert_no_reliable_difference(app, asked, silent, f"{YEAR}Q2")
    samples = {0: [], 1: []}
    for _ in range(25):
        for index, world in enumerate(worlds):
            forget(app, world)
            samples[index].append(site_value(world, "Projekt"))
    # ε = 0.5 for the whole yearly vector bounds any guess at e^0.5 / (1 + e^0.5) ≈ 0.62;
    # the margin covers the sampling error of 50 draws (the old report was right every time)
    assert best_guess_accuracy(samples[0], samples[1]) <= 0.9


def test_attack_2_a_withdrawn_code_never_makes_a_row_appear(app, employer):
    worlds = []
    for e_asks in (True, False):
        world = employer()
        code_id, plain = new_code(app, world, "Pilot", 5)
        client = app.test_client()
        sign_up(client, plain)  # E's account, made while the code worked
        if e_asks:
            assert send_request(client).status_code == 302
        happened_in(app, world, f"{YEAR}Q3", withdrawn=[code_id])
        worlds.append(world)
    assert_no_reliable_difference(app, *worlds)
    assert "Site" not in " ".join(str(part) for part in layout_of(page(worlds[0])))


def test_attack_3_decoys_do_not_pin_down_a_code(app, employer):
    """One code for E, a second one with two of HR's own requests: both sites large enough."""
    worlds = []
    for e_asks in (True, False):
        world = employer(seats=5000)
        add_requests(app, db_org(app, world), 12, at=in_quarter(f"{YEAR}Q1"))
        _e_code, e_plain = new_code(app, world, "E", 400)
        _decoy, decoy_plain = new_code(app, world, "Decoy", 400)
        ask(app, decoy_plain)
        ask(app, decoy_plain)
        if e_asks:
            ask(app, e_plain)
        happened_in(app, world, f"{YEAR}Q1")
        worlds.append(world)
    assert_no_reliable_difference(app, *worlds, quarter=f"{YEAR}Q1")
    rows = dict(layout_of(page(worlds[0], f"{YEAR}Q1"))[1:])[f"Site, year {YEAR}"]
    assert rows == ["Category", "Main code", "E", "Decoy", "Other sites"]


def test_attack_4_there_is_no_rule_to_read_back(app, employer):
    """``[20, 10, 5, 4, 4]`` used to read back exactly; now every cell is a noisy number."""
    worlds = []
    for e_asks in (True, False):
        world = employer()
        organisation_id = db_org(app, world)
        for topic, count in (("stress", 20), ("family", 10), ("debt", 5), ("illness", 4)):
            add_requests(app, organisation_id, count, at=in_quarter(f"{YEAR}Q2"), topic=topic)
        add_requests(app, organisation_id, 3, at=in_quarter(f"{YEAR}Q2"), topic="other")
        if e_asks:
            add_requests(app, organisation_id, 1, at=in_quarter(f"{YEAR}Q2"), topic="other")
        worlds.append(world)
    assert_no_reliable_difference(app, *worlds, quarter=f"{YEAR}Q2")
    html = page(worlds[0], f"{YEAR}Q2")
    cells = [cell for t in page_tables(html) for row in t["rows"][1:] for cell in row[1:]]
    # a number, or its 90 % range, or "–": never a rule such as "< 5"
    assert all(re.fullmatch(r"\d[\d,.]*(–\d[\d,.]*)?|–", cell) for cell in cells), cells
    assert "hidden" not in html and "&lt; 5" not in html


def test_attack_5_the_quarter_list_says_nothing_about_a_pilot(app, employer):
    """A one-person pilot code: E asked once, long ago, or never."""
    worlds = []
    for e_asks in (True, False):
        world = employer()
        _code, plain = new_code(app, world, "Pilot", 1)
        if e_asks:
            ask(app, plain)
        happened_in(app, world, periods.shift_quarter(last_quarter(), -6))
        worlds.append(world)
    first, second = page(worlds[0]), page(worlds[1])
    assert layout_of(first)[0] == layout_of(second)[0]
    assert layout_of(first)[0][-1] == periods.shift_quarter(last_quarter(), -8)  # contract start
    assert_no_reliable_difference(app, *worlds, quarter=periods.shift_quarter(last_quarter(), -6))


def db_org(app, world: World):
    from eap.employers.models import Organisation

    with app.app_context():
        organisation = db.session.get(Organisation, world.organisation_id)
        db.session.expunge(organisation)
        return organisation


def forget(app, world: World) -> None:
    """Only the test can do this: throw the stored releases away to see another possible draw."""
    with app.app_context():
        db.session.execute(sa.delete(ReportRelease).where(
            ReportRelease.organisation_id == world.organisation_id))
        db.session.commit()
