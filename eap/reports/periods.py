"""Calendar quarters and months, the only time units the reports use (Europe/Berlin)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from eap.models import utcnow
from eap.requests.deadlines import BERLIN, quarter_of

QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")


def parse_quarter(text: str | None) -> tuple[int, int] | None:
    match = QUARTER_RE.match(text or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def shift_quarter(quarter: str, by: int) -> str:
    year, number = parse_quarter(quarter)
    index = year * 4 + number - 1 + by
    return f"{index // 4}Q{index % 4 + 1}"


def year_before(quarter: str) -> str:
    return shift_quarter(quarter, -4)


def current_quarter(now: datetime | None = None) -> str:
    return quarter_of(now or utcnow())


def last_completed_quarter(now: datetime | None = None) -> str:
    return shift_quarter(current_quarter(now), -1)


def quarter_start(quarter: str) -> datetime:
    """The first moment of the quarter (Berlin), in UTC."""
    year, number = parse_quarter(quarter)
    return datetime(year, 3 * number - 2, 1, tzinfo=BERLIN).astimezone(UTC)


def quarter_end(quarter: str) -> datetime:
    return quarter_start(shift_quarter(quarter, 1))


def completed_quarters(first: str, now: datetime | None = None) -> list[str]:
    """Every ended quarter from ``first`` on, newest first; never the running quarter.

    Only ended quarters are reported: their counters no longer change, so two looks at the same
    quarter always show the same figures and their difference tells nothing.
    """
    last = last_completed_quarter(now)
    if first > last:
        return [last]
    quarters = [last]
    while quarters[-1] > first:
        quarters.append(shift_quarter(quarters[-1], -1))
    return quarters


def last_months(count: int, now: datetime | None = None) -> list[str]:
    """The ``count`` months up to the running one, oldest first, as ``YYYY-MM``."""
    local = (now or utcnow()).astimezone(BERLIN)
    index = local.year * 12 + local.month - 1
    return [f"{i // 12}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]
