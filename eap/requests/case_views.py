"""The requester's own area: ask for help (crisis question first), confirmation, threads."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from eap import transactions
from eap.billing import contracts
from eap.requests import cases, choices, messages, signals
from eap.requests import session as requester
from eap.requests.forms import MESSAGE_LIMIT, TEXT_LIMIT, MessageForm, RequestForm
from eap.security.forms import ConfirmForm

bp = Blueprint("requests_cases", __name__, url_prefix="/help/requests")


@bp.get("/")
@requester.requester_required()
def index():
    return render_template(
        "requests/list.html", rows=cases.requests_of(requester.current()),
        statuses=choices.STATUSES, topics=choices.TOPICS,
    )


@bp.get("/new")
@requester.requester_required()
def new():
    """First the crisis question; "yes" shows the emergency numbers, then the form."""
    danger = request.args.get("danger")
    if danger not in ("yes", "no"):
        return render_template("requests/crisis_question.html")
    return show_request_form(acute=danger == "yes")


def show_request_form(acute: bool, description: str = "", form: RequestForm | None = None):
    if form is None:
        form = RequestForm(formdata=None)
        form.nonce.data = secrets.token_urlsafe(24)
        form.acute_danger.data = "yes" if acute else "no"
        form.description.data = description
        locale = str(get_locale())
        form.language.data = locale if locale in choices.LANGUAGES else "de"
    return render_template(
        "requests/request_form.html", form=form, acute=acute, text_limit=TEXT_LIMIT
    )


@bp.post("/new")
@requester.requester_required(draft_field="description")
def create():
    account = requester.current()
    form = RequestForm()
    acute = form.acute_danger.data == "yes"
    if not form.validate_on_submit():
        return show_request_form(acute, form=form)
    if contracts.access_contract(account.organisation_id) is None:
        return render_template("requests/access_ended.html")
    data = cases.RequestData(
        acute_danger=acute, area=form.area.data, topic=form.topic.data,
        for_whom=form.for_whom.data, urgency=form.urgency.data, contact=form.contact.data,
        callback_number=form.callback_number.data, callback_window=form.callback_window.data,
        language=form.language.data, description=form.description.data,
    )
    is_new = cases.find_submitted(account, form.nonce.data) is None
    case = cases.create_request(account, form.nonce.data, data)
    signals.request_created.send(case, same_counsellor=request.form.get("same_counsellor") == "yes")
    # Staff notices go out once the request is committed (at the request boundary); what they
    # need is read now, so that nothing is loaded after the commit.
    transactions.after_commit(_announce_committed, case, is_new, case.acute_danger)
    return redirect(url_for("requests_cases.sent", public_id=case.public_id))


@bp.get("/<public_id>/sent")
@requester.requester_required()
def sent(public_id: str):
    case = cases.get_case_or_404(requester.current(), public_id)
    return render_template("requests/sent.html", case=case)


@bp.get("/<public_id>")
@requester.requester_required()
def show(public_id: str):
    case = cases.get_case_or_404(requester.current(), public_id)
    return show_case(case)


def show_case(case, draft: str = "", form: MessageForm | None = None, status: int = 200):
    page = render_template(
        "requests/case.html", case=case, form=form or MessageForm(formdata=None, body=draft),
        message_limit=MESSAGE_LIMIT, statuses=choices.STATUSES,
        labels=_labels(),
    )
    messages.mark_shown_read(case, "staff")  # after rendering: the page still marks what was new
    return page, status


def _labels() -> dict:
    return {
        "area": choices.AREAS, "topic": choices.TOPICS, "for_whom": choices.FOR_WHOM,
        "urgency": choices.URGENCIES, "contact": choices.CONTACTS, "language": choices.LANGUAGES,
    }


@bp.post("/<public_id>/reply")
@requester.requester_required(draft_field="body")
def reply(public_id: str):
    case = cases.get_case_or_404(requester.current(), public_id)
    form = MessageForm()
    if not case.is_open:
        flash(_("This request is closed. Please send a new request if you need help again."),
              "error")
        return show_case(case, form=form, status=409)
    if not form.validate_on_submit() or not form.body.data.strip():
        if not form.body.errors:
            form.body.errors = [_("Please write a message.")]
        return show_case(case, form=form, status=400)
    messages.add_requester_message(case, form.body.data, form.nonce.data)
    flash(_("Your message was sent."), "success")
    return redirect(url_for("requests_cases.show", public_id=case.public_id))


@bp.post("/<public_id>/close")
@requester.requester_required()
def close(public_id: str):
    case = cases.get_case_or_404(requester.current(), public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    cases.close(case)
    flash(_("Your request is closed."), "success")
    return redirect(url_for("requests_cases.index"))


def _announce_committed(case, is_new: bool, acute_danger: bool) -> None:
    signals.request_committed.send(case, is_new=is_new, acute_danger=acute_danger)
