"""Own data: notification address, readable page and JSON download, deleting everything."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from eap.requests import choices, owndata
from eap.requests import session as requester
from eap.requests.forms import DeleteAccountForm, NotificationForm
from eap.security.forms import ConfirmForm

bp = Blueprint("requests_data", __name__, url_prefix="/help/account")


@bp.route("/notifications", methods=["GET", "POST"])
@requester.requester_required()
def notifications():
    account = requester.current()
    form = NotificationForm()
    if form.validate_on_submit():
        problem = owndata.notification_problem(account, form.email.data)
        if problem:
            form.email.errors = [problem]
        else:
            owndata.set_notification_email(account, form.email.data)
            flash(_("Your notification address is saved."), "success")
            return redirect(url_for("requests_data.notifications"))
    return render_template(
        "requests/notifications.html", form=form, current=account.notification_email,
    )


@bp.post("/notifications/remove")
@requester.requester_required()
def remove_notifications():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    owndata.remove_notification_email(requester.current())
    flash(_("Your notification address is deleted."), "success")
    return redirect(url_for("requests_data.notifications"))


@bp.get("/data")
@requester.requester_required()
def data():
    return render_template(
        "requests/data.html", data=owndata.export(requester.current()),
        statuses=choices.STATUSES,
    )


@bp.get("/data.json")
@requester.requester_required()
def data_json():
    body = json.dumps(owndata.export(requester.current()), ensure_ascii=False, indent=2)
    return Response(
        body, mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-eap-data.json"'},
    )


@bp.route("/delete", methods=["GET", "POST"])
@requester.requester_required()
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        owndata.erase(requester.current())
        requester.sign_out()
        flash(_("Your account and all your requests are deleted."), "success")
        return redirect(url_for("requests.start"))
    return render_template("requests/delete.html", form=form)
