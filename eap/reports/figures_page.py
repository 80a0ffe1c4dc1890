"""The admin figures as tables of display strings (page and CSV) and charts beside them."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_currency, format_decimal, get_locale
from flask_babel import gettext as _

from eap.models import utcnow
from eap.reports import charts, figures, periods
from eap.requests import choices


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    chart: charts.Chart | None = None
    note: str = ""


def _percent(value: float | None) -> str:
    return "–" if value is None else format_decimal(value, format="#,##0.0") + " %"


def _euro(cents: int) -> str:
    return format_currency(cents / 100, "EUR")



def _requests(months: list[str]) -> Table:
    data = figures.requests_per_month(months)
    areas = [str(label) for label in choices.AREAS.values()]
    table = Table("requests", _("Requests per month and area"),
                  [_("Month"), *areas, _("Total")])
    # Months without any request are left out (the table says so): no rows of zero bars.
    busy = [(month, counts) for month, counts in data if any(counts)]
    table.rows = [[month, *map(str, counts), str(sum(counts))] for month, counts in busy]
    if len(busy) < len(data):
        table.note = _("Months without requests are left out.")
    # One bar per month (the total); the split by area is in the table.
    table.chart = charts.bar_chart(
        "chart-requests", _("Requests per month"), [month for month, _c in busy],
        [(_("Total"), [sum(counts) for _m, counts in busy])],
    )
    return table


def _on_time(months: list[str]) -> Table:
    data = figures.on_time_per_month(months)
    table = Table("on_time", _("First response within the promised time"),
                  [_("Month of the request"), _("Answered"), _("On time"), _("Share on time")])
    data = [r for r in data if r.answered]  # months without answers: nothing to show
    table.rows = [[r.month, str(r.answered), str(r.on_time), _percent(r.share)] for r in data]
    table.chart = charts.bar_chart(
        "chart-on-time", table.title, [r.month for r in data],
        [(_("Share on time"), [None if r.share is None else round(r.share) for r in data])],
        texts=[[_percent(r.share) for r in data]],
    )
    return table


def _referral_follow_ups(months: list[str]) -> Table:
    """Answers to the referral follow-up question (counts only; issue 20)."""
    table = Table("referral_follow_ups", _("Referral follow-up: answers per month"),
                  [_("Month of the answer"), _("Reached the service"), _("Did not reach it"),
                   _("It helped"), _("It partly helped"), _("It did not help")])
    table.rows = [[month, *map(str, counts)]
                  for month, counts in figures.referral_follow_ups_per_month(months)]
    table.note = _("Only requesters who agreed to the follow-up question are asked.")
    return table


def _caseloads() -> Table:
    data = figures.caseloads()
    table = Table("caseloads", _("Cases per counsellor"),
                  [_("Counsellor"), _("Open cases"), _("Cases this year"),
                   _("Yearly capacity"), _("Share of capacity")])
    table.rows = [[c.name, str(c.open_now), str(c.this_year), str(c.capacity),
                   _percent(c.load)] for c in data]
    # The capacity chart shows counsellors only: triage staff carry no yearly capacity.
    shown = [c for c in data if c.role == "counsellor"]
    table.chart = charts.bar_chart(
        "chart-caseloads", table.title, [c.name for c in shown],
        [(_("Cases this year"), [c.this_year for c in shown]),
         (_("Yearly capacity"), [c.capacity for c in shown])],
    )
    return table


def _organisations(contracts: list, now) -> Table:
    data, quarters = figures.organisation_use(contracts, now)
    table = Table("organisations", _("Utilisation per organisation"),
                  [_("Organisation"), _("Seats"), _("Requests"),
                   _("Requests per 100 seats per year"), _("Monthly recurring revenue")])
    table.note = _("Requests in the quarters %(first)s to %(last)s.",
                   first=quarters[-1], last=quarters[0])
    table.rows = [[o.name, str(o.seats), str(o.requests), _percent(o.rate).rstrip(" %"),
                   _euro(o.mrr_cents)] for o in data]
    top = [o for o in data if o.requests][:20]  # the chart: the busiest; the table: all
    table.chart = charts.bar_chart(
        "chart-organisations", _("The 20 organisations with the highest utilisation"),
        [o.name for o in top],
        [(_("Requests per 100 seats per year"),
          [None if o.rate is None else round(o.rate) for o in top])],
        texts=[[_percent(o.rate).rstrip(" %") for o in top]],
    )
    return table


def _mrr(contracts: list) -> Table:
    per_package, total = figures.mrr_by_package(contracts, str(get_locale() or "de"))
    table = Table("mrr", _("Monthly recurring revenue"),
                  [_("Package"), _("Monthly recurring revenue")])
    table.rows = [[name, _euro(cents)] for name, cents in per_package]
    table.rows.append([_("Total"), _euro(total)])
    table.chart = charts.bar_chart(
        "chart-mrr", table.title, [name for name, _c in per_package],
        [(_("Monthly recurring revenue"), [cents // 100 for _n, cents in per_package])],
        texts=[[_euro(cents) for _n, cents in per_package]],
    )
    return table


def _quick_erasures(months: list[str]) -> Table:
    table = Table("quick_erasures", _("Accounts erased soon after sign-up"),
                  [_("Organisation"), _("Accounts erased within 7 days of their creation")])
    table.note = _("Last 12 months. Many such accounts at one organisation can mean that "
                   "someone pads an access code with accounts of their own; counts only.")
    table.rows = [[row.name, str(row.count)] for row in figures.quick_erasures(months)]
    return table


def _account_bursts(months: list[str]) -> Table:
    table = Table("account_bursts", _("Bursts of new accounts"),
                  [_("Organisation"), _("Hours with many new accounts on one access code")])
    table.note = _("Last 12 months. Nobody is refused because of a burst; each new account pays "
                   "a proof of work. Many bursts at one organisation can mean that someone pads "
                   "an access code with accounts of their own; counts only.")
    table.rows = [[row.name, str(row.count)] for row in figures.account_bursts(months)]
    return table


def tables() -> list[Table]:
    months = periods.last_months(figures.MONTHS)
    now = utcnow()
    contracts = figures.paid_contracts(now)
    return [_requests(months), _on_time(months), _caseloads(), _organisations(contracts, now),
            _mrr(contracts), _quick_erasures(months), _account_bursts(months),
            _referral_follow_ups(months)]


def csv_rows(page: list[Table]) -> list[list[str]]:
    rows: list[list[str]] = []
    for table in page:
        rows.append([table.title, *table.headers])
        rows += [[table.title, *row] for row in table.rows]
    return rows
