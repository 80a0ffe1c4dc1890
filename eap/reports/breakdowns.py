"""What the HR report breaks a quarter down by, read from one quarter's counters only.

Every key list here depends on fixed code lists or on data of that same quarter, never on the
quarter it is compared with: a quarter's tables (and so its suppression) always come out the
same, whichever page shows them.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from eap.employers.models import AccessCode
from eap.extensions import db
from eap.i18n import lazy_gettext as _l
from eap.reports import periods
from eap.requests import choices
from eap.requests.models import UsageCounter

TOPIC_GROUPS = {
    "mental": (_l("Mental health and stress"), ("stress", "anxiety", "addiction", "grief")),
    "family": (_l("Family and care"), ("family", "parenting", "caring")),
    "money_law": (_l("Money, law and residence"), ("debt", "legal", "migration")),
    "work_health": (_l("Work and health"), ("work_conflict", "illness")),
    "other": (_l("Other topics"), ("other",)),
}
REQUESTER_TYPES = {"employee": _l("Employees"), "dependant": _l("Dependants")}
OTHER = "other"

TITLES = {
    "area": _l("Area"),
    "topic_group": _l("Topic group"),
    "requester_type": _l("Requester type"),
    "contact": _l("Contact channel"),
    "site": _l("Site code"),
}

# Built once with parameters (the report reads a quarter and the same quarter a year before).
_COUNTERS = sa.select(UsageCounter.dimension, UsageCounter.value, UsageCounter.count).where(
    UsageCounter.organisation_id == sa.bindparam("organisation_id"),
    UsageCounter.quarter == sa.bindparam("quarter"),
)
_CODES = (
    sa.select(AccessCode.id, AccessCode.is_primary, AccessCode.label,
              AccessCode.created_at, AccessCode.revoked_at)
    .where(AccessCode.organisation_id == sa.bindparam("organisation_id"))
    .order_by(AccessCode.id)
)


def counters_of(organisation_id: int, quarter: str) -> dict[str, dict[str, int]]:
    """dimension → value → count; one index range read (organisation, quarter)."""
    raw: dict[str, dict[str, int]] = defaultdict(dict)
    rows = db.session.execute(
        _COUNTERS, {"organisation_id": organisation_id, "quarter": quarter}
    )
    for dimension, value, count in rows:
        raw[dimension][value] = count
    return raw


def total_of(raw: dict[str, dict[str, int]]) -> int:
    return raw.get("total", {}).get("all", 0)


def _fixed(raw: dict[str, int], keys) -> dict[str, int]:
    """The fixed keys in order; anything unknown goes to OTHER, so the sum stays the total."""
    counts = {key: raw.get(key, 0) for key in keys}
    unknown = sum(count for value, count in raw.items() if value not in counts)
    if unknown:
        counts[OTHER] = counts.get(OTHER, 0) + unknown
    return counts


def _topic_groups(raw: dict[str, int]) -> dict[str, int]:
    group_of = {topic: group for group, (_, topics) in TOPIC_GROUPS.items() for topic in topics}
    counts = dict.fromkeys(TOPIC_GROUPS, 0)
    for topic, count in raw.items():
        counts[group_of.get(topic, OTHER)] += count
    return counts


def _requester_types(raw: dict[str, int]) -> dict[str, int]:
    employees = raw.get("employee", 0)
    return {"employee": employees, "dependant": sum(raw.values()) - employees}


def codes_of(organisation_id: int) -> list:
    """The organisation's access codes as the site breakdown needs them (read once per report:
    a report shows a quarter and the same quarter a year before)."""
    return db.session.execute(_CODES, {"organisation_id": organisation_id}).all()


def site_keys(codes: list, quarter: str):
    """(counter value → site key, names of all sites, sites in use during the quarter), from the
    organisation's ``codes_of``.

    Primary codes are one site however often they were rotated; extra codes are one site each
    (by id, so renaming a label cannot merge two sites and change what is hidden).
    """
    start, end = periods.quarter_start(quarter), periods.quarter_end(quarter)
    key_of: dict[str, str] = {}
    names = {"primary": str(_l("Main code")), "none": str(_l("Codes no longer known"))}
    in_use = ["primary"]
    for code_id, primary, label, created, revoked in codes:
        key = "primary" if primary else f"code{code_id}"
        key_of[str(code_id)] = key
        if not primary:
            names[key] = label or str(_l("Extra code %(number)s", number=code_id))
            if _existed(created, revoked, start, end):
                in_use.append(key)
    return key_of, names, in_use


def _existed(created, revoked, start, end) -> bool:
    created = periods.aware(created)
    revoked = periods.aware(revoked) if revoked else None
    return created < end and (revoked is None or revoked >= start)


def _sites(raw: dict[str, int], key_of: dict[str, str], in_use: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(in_use, 0)
    for value, count in raw.items():
        key = key_of.get(value, "none")
        counts[key] = counts.get(key, 0) + count
    return counts


def tables_of(codes: list, quarter: str, raw) -> tuple[dict, dict[str, str]]:
    """(breakdown → key → count, site names); every breakdown sums to the quarter's total."""
    tables = {
        "area": _fixed(raw.get("area", {}), choices.AREAS),
        "topic_group": _topic_groups(raw.get("topic", {})),
        "requester_type": _requester_types(raw.get("requester_type", {})),
        "contact": _fixed(raw.get("contact", {}), choices.CONTACTS),
    }
    key_of, names, in_use = site_keys(codes, quarter)
    sites = _sites(raw.get("access_code", {}), key_of, in_use)
    if len(sites) > 1:  # only where the organisation uses several codes
        tables["site"] = sites
    return tables, names


def label_of(breakdown: str, key: str, site_labels: dict[str, str]) -> str:
    if breakdown == "area":
        return str(choices.AREAS.get(key, _l("Other")))
    if breakdown == "topic_group":
        return str(TOPIC_GROUPS[key][0])
    if breakdown == "requester_type":
        return str(REQUESTER_TYPES[key])
    if breakdown == "contact":
        return str(choices.CONTACTS.get(key, _l("Other")))
    return site_labels.get(key, key)
