"""Administrators keep the list of external services that cases are referred to."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eap.counselling import referrals
from eap.counselling.blueprint import bp
from eap.counselling.forms import ReferralServiceForm
from eap.counselling.models import ReferralService
from eap.extensions import db
from eap.security import audit


def _admins_only() -> None:
    if current_user.role != "admin":
        abort(403)


@bp.get("/referral-services")
def referral_services():
    _admins_only()
    return render_template(
        "counselling/referral_services.html", services=referrals.all_services()
    )


@bp.route("/referral-services/new", methods=["GET", "POST"])
@bp.route("/referral-services/<int:service_id>", methods=["GET", "POST"])
def referral_service_edit(service_id: int | None = None):
    _admins_only()
    service = None
    if service_id is not None:
        service = db.session.get(ReferralService, service_id) or abort(404)
    form = ReferralServiceForm(obj=service)
    if form.validate_on_submit():
        if referrals.name_taken(form.name.data, service_id):
            form.name.errors.append(_("A service with this name exists already."))
        else:
            saved = referrals.save(service, form.name.data, form.details.data or "",
                                   bool(form.active.data))
            audit.record("referral_service.save", "referral_service", saved.id)
            flash(_("Saved."), "success")
            return redirect(url_for("counselling.referral_services"), 303)
    return render_template("counselling/referral_service_form.html", form=form, service=service)
