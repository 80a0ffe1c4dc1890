"""Organisations and their contracts for the admin overview, with monthly recurring revenue.

Only contract data: nothing here looks at requests or requesters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from eap.admin import keyset
from eap.billing import contracts, pricing
from eap.billing.models import CONTRACT_STATUSES, Contract
from eap.employers.models import Organisation
from eap.extensions import db
from eap.models import utcnow
from eap.packages.models import ServicePackage

PAGE_SIZE = 50
NO_CONTRACT = "none"
STATUS_FILTERS = (*CONTRACT_STATUSES, NO_CONTRACT)
SORTS = ("name", "status")


@dataclass(frozen=True)
class Row:
    organisation: Organisation
    contract: Contract | None
    package: ServicePackage | None
    mrr_cents: int

    @property
    def status(self) -> str:
        return self.contract.status if self.contract else NO_CONTRACT

    @property
    def contract_end(self) -> datetime | None:
        """When the contract ends or ended; running contracts renew, so they have none."""
        if self.contract and self.contract.status in ("cancelled", "ended"):
            return self.contract.current_period_end
        return None


def contract_mrr(contract: Contract | None, package: ServicePackage | None, at=None) -> int:
    """Revenue counts while the contract is paid for: active, past due, or a paid period left."""
    if contract is None or package is None or not contracts.grants_access(contract, at):
        return 0
    return pricing.monthly_cents(contract.seats, contract.interval, package)


def _current_contract_id():
    """Per organisation: its newest contract that has not ended, else its newest at all."""
    running, any_ = aliased(Contract), aliased(Contract)
    return sa.func.coalesce(
        sa.select(sa.func.max(running.id))
        .where(running.organisation_id == Organisation.id, running.status != "ended")
        .scalar_subquery(),
        sa.select(sa.func.max(any_.id))
        .where(any_.organisation_id == Organisation.id)
        .scalar_subquery(),
    )


def _status_expression():
    return sa.func.coalesce(Contract.status, NO_CONTRACT)


def overview(status: str | None, sort: str, cursor: str | None):
    """One page of rows and the cursor of the next page (None on the last page)."""
    status_expr = _status_expression()
    columns = (
        (status_expr, Organisation.name, Organisation.id)
        if sort == "status"
        else (Organisation.name, Organisation.id)
    )
    query = (
        sa.select(Organisation, Contract, ServicePackage)
        .select_from(Organisation)
        .outerjoin(Contract, Contract.id == _current_contract_id())
        .outerjoin(ServicePackage, ServicePackage.id == Contract.package_id)
        .order_by(*columns)
        .limit(PAGE_SIZE + 1)
    )
    if status in STATUS_FILTERS:
        query = query.where(status_expr == status)
    key = keyset.decode(cursor, (str,) * (len(columns) - 1) + (int,))
    if key is not None:
        query = query.where(keyset.after(columns, key))
    now = utcnow()
    rows = [
        Row(org, contract, package, contract_mrr(contract, package, now))
        for org, contract, package in db.session.execute(query)
    ]

    def key_of(row: Row) -> tuple:
        name_id = (row.organisation.name, row.organisation.id)
        return (row.status, *name_id) if sort == "status" else name_id

    return keyset.page(rows, PAGE_SIZE, key_of)


_TOTAL_MRR = (  # built once; "at" is the moment the contracts must be paid for
    sa.select(sa.func.coalesce(sa.func.sum(pricing.MONTHLY_CENTS_SQL), 0))
    .join(ServicePackage, ServicePackage.id == Contract.package_id)
    .where(contracts.grants_access_sql(sa.bindparam("at")))
)


def total_mrr_cents(at: datetime | None = None) -> int:
    """Monthly recurring revenue of every contract that is paid for right now."""
    return int(db.session.scalar(_TOTAL_MRR, {"at": at or utcnow()}))
