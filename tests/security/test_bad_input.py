"""Bad input gets a friendly answer, never a 500 (the access matrix sends every form empty;
these are the cases it found, kept as precise regression tests)."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token, login_hr


@pytest.mark.parametrize("seats", ["", "many", "-5", "0"])
def test_an_invalid_number_of_seats_is_refused_without_a_crash(app, make_hr_user,
                                                                 make_organisation,
                                                                 make_contract, seats):
    """Reported to the lead: eap/billing/views.py change_seats joins LazyString errors with
    " ".join(...) → TypeError → 500. Fix: " ".join(str(e) for e in form.seats.errors)."""
    organisation = make_organisation()
    make_contract(organisation=organisation)
    client = app.test_client()
    assert login_hr(client, make_hr_user(organisation=organisation)).status_code == 302
    token = csrf_token(client, "/hr/contract/")
    response = client.post("/hr/contract/seats", data={"csrf_token": token, "seats": seats})
    assert response.status_code in (303, 400), response.status_code
