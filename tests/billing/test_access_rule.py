"""The one rule "this contract is paid for and grants access" (eap.billing.contracts): the Python
function and its SQL twin agree on every status and period end, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eap.billing import contracts
from eap.billing.models import CONTRACT_STATUSES, Contract
from eap.extensions import db
from eap.models import utcnow

ENDS = {"none": None, "past": timedelta(days=-1), "future": timedelta(days=1)}
EXPECTED = {  # (status, period end) → grants access now
    ("active", "none"): True, ("active", "past"): True, ("active", "future"): True,
    ("past_due", "none"): True, ("past_due", "past"): True, ("past_due", "future"): True,
    ("cancelled", "none"): False, ("cancelled", "past"): False, ("cancelled", "future"): True,
}


@pytest.mark.parametrize("status", CONTRACT_STATUSES)
@pytest.mark.parametrize("end", ENDS)
def test_python_and_sql_rule_agree_on_every_status(app, make_contract, status, end):
    now = utcnow()
    period_end = None if ENDS[end] is None else now + ENDS[end]
    contract = make_contract(status=status, current_period_end=period_end)
    with app.app_context():
        stored = db.session.get(Contract, contract.id)  # as the database hands it back
        in_python = contracts.grants_access(stored, now)
        in_sql = db.session.scalar(
            sa.select(contracts.grants_access_sql(now)).where(Contract.id == contract.id))
        assert bool(in_sql) == in_python == EXPECTED.get((status, end), False)
        found = contracts.access_contract(contract.organisation_id, now)
        assert (found is not None) == in_python


def test_the_newest_granting_contract_is_the_access_contract(app, make_organisation,
                                                             make_contract):
    organisation = make_organisation()
    make_contract(organisation=organisation, status="ended")
    older = make_contract(organisation=organisation, status="active")
    make_contract(organisation=organisation, status="pending")
    with app.app_context():
        assert contracts.access_contract(organisation.id).id == older.id
        assert contracts.organisation_has_access(organisation.id)


def test_an_organisation_with_only_ended_or_pending_contracts_has_no_access(
        app, make_organisation, make_contract):
    organisation = make_organisation()
    make_contract(organisation=organisation, status="ended")
    make_contract(organisation=organisation, status="pending")
    with app.app_context():
        assert contracts.access_contract(organisation.id) is None
        assert not contracts.organisation_has_access(organisation.id)
