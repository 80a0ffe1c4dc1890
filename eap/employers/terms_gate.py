"""A new version of the terms or the AVV, enforced on every HR page (a check ``hr_required``
runs; registered when this module is imported, which the HR sign-in views do).

An owner whose organisation has not accepted the versions in force is sent to the acceptance
page from any HR page; other HR users go on working with a notice, but nothing can be ordered
or changed in the contract until an owner has accepted (docs/employers.md).

No query per request while nothing changed: once the organisation is found up to date, the
session keeps a stamp of the versions in force, and later requests only compare it with the
current versions (file names read once per process). A new version changes the stamp, so the
next request looks again; while acceptance is outstanding every HR request looks (rare, short).
"""

from __future__ import annotations

from flask import flash, g, redirect, request, session, url_for
from flask_babel import gettext as _

from eap.employers import terms
from eap.employers.terms_models import DOCUMENTS
from eap.redirects import safe_next
from eap.security.access import add_hr_page_check

SESSION_KEY = "terms_ok"
# Reachable while acceptance is outstanding (the legal PDFs and static files are not HR pages).
EXEMPT = frozenset({"legal.accept", "legal.status", "hr_auth.logout", "hr_auth.logout_everywhere"})
# Orders and contract changes that buy something: refused, whatever the role.
PURCHASES = frozenset({
    "billing.buy", "billing.continue_payment", "billing.change_seats", "billing.change_package",
    "billing.resume",
})


def _stamp(organisation_id: int) -> str:
    return f"{organisation_id}:" + "|".join(terms.current_version(d) for d in DOCUMENTS)


def renewal_pending(user) -> bool:
    """The organisation accepted an older version and not yet the one in force."""
    stamp = _stamp(user.organisation_id)
    if session.get(SESSION_KEY) == stamp:
        return False
    pending = terms.needs_renewal(user.organisation_id)
    if not pending:
        session[SESSION_KEY] = stamp
    return pending


@add_hr_page_check
def check(user):
    """None when the request may go on, else the response that stops it."""
    if request.endpoint in EXEMPT or not renewal_pending(user):
        return None
    g.terms_renewal_pending = True  # base.html shows the notice
    if request.endpoint in PURCHASES:
        flash(_("Nothing was ordered or changed: your organisation has not yet accepted the new "
                "version of the terms of service and the data-processing agreement."), "error")
    if user.role == "owner":
        target = safe_next(request.full_path.rstrip("?")) if request.method == "GET" else None
        return redirect(url_for("legal.accept", next=target), 303)
    if request.endpoint in PURCHASES:
        return redirect(url_for("billing.contract"), 303)
    return None
