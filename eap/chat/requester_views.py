"""The requester's side of the live chat: start (signed in, or as a guest with only the access
code), the waiting room, the conversation, ending, and a guest's keep-or-delete at the end.

Requester pages keep a ``requests_*`` blueprint name, so the seven requester languages are
offered here too (docs/architecture.md).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from eap.billing import contracts
from eap.chat import presence, rooms, stream
from eap.chat.forms import ChatMessageForm, StartForm
from eap.chat.models import ENDED, REQUESTER, WAITING, Chat
from eap.requests import cases, choices
from eap.requests import session as requester
from eap.security import crypto, proof_of_work
from eap.security.forms import ConfirmForm

bp = Blueprint("requests_chat", __name__, url_prefix="/help/chat")
GUEST = "chat_guest"  # the guest's chat id and its sealed secret, in the session cookie
SIGNUP = "requester_signup"  # eap.requests.views: the access code step passed
KEEP = "chat_keep"  # the guest chose to keep the chat: the next new account takes it
POW_CHAT = "chat"


def _guest_secret(chat_public_id: str | None = None) -> str | None:
    data = session.get(GUEST)
    if not data or (chat_public_id and data.get("id") != chat_public_id):
        return None
    try:
        return crypto.decrypt(data["s"])
    except (crypto.DecryptionError, KeyError):
        return None


def _open_guest_chat() -> Chat | None:
    data = session.get(GUEST)
    chat = rooms.find(data.get("id", "")) if data else None
    if chat is None or chat.status == ENDED or not rooms.requester_may_see(chat, None,
                                                                          _guest_secret()):
        return None
    return chat


def _guest_org() -> int | None:
    data = session.get(SIGNUP)
    return data.get("org") if data else None


def _language() -> str:
    locale = str(get_locale())
    return locale if locale in choices.LANGUAGES else "de"


def _chat_or_404(public_id: str) -> Chat:
    chat = rooms.find(public_id)
    if chat is None or not rooms.requester_may_see(chat, requester.current(),
                                                   _guest_secret(public_id)):
        abort(404)
    return chat


@bp.route("/", methods=["GET", "POST"])
def start():
    """Start a chat: signed in, or a guest who has just entered a valid access code."""
    account = requester.current()
    organisation_id = account.organisation_id if account else _guest_org()
    if organisation_id is None:
        guest = session.get(GUEST)
        if guest and rooms.find(guest.get("id", "")):
            return redirect(url_for(".show", public_id=guest["id"]))
        flash(_("Please enter your employer's access code first."), "info")
        return redirect(url_for("requests.access"))
    if account is not None and (open_chat := rooms.open_chat_of(account)) is not None:
        return redirect(url_for(".show", public_id=open_chat.public_id))
    if account is None and (waiting := _open_guest_chat()) is not None:
        return redirect(url_for(".show", public_id=waiting.public_id))  # one at a time
    form = StartForm()
    guest = account is None
    available = presence.chat_available_now()
    if form.validate_on_submit() and (not guest or _proof_of_work_passed(form)):
        if contracts.access_contract(organisation_id) is None:
            return render_template("requests/access_ended.html")
        if not presence.chat_available_now():
            flash(_("Nobody is at the chat at the moment. Please write to us instead, or "
                    "call one of the numbers below."), "error")
        else:
            case = None
            if account is not None and request.args.get("case"):
                case = cases.get_case_or_404(account, request.args["case"])
            chat, secret = rooms.start(organisation_id, _language(), form.acute.data == "yes",
                                       account=account, case=case)
            if secret:
                session[GUEST] = {"id": chat.public_id, "s": crypto.encrypt(secret)}
            return redirect(url_for(".show", public_id=chat.public_id))
    return render_template(
        "chat/start.html", form=form, guest=guest, available=available,
        challenge=proof_of_work.challenge(POW_CHAT) if guest else None,
    )


def _proof_of_work_passed(form) -> bool:
    """A guest's start costs a proof of work, like the access-code step: a script with one
    code cannot fill the waiting room and keep real people out of it."""
    if proof_of_work.check(POW_CHAT) == proof_of_work.PASSED:
        return True
    form.acute.errors = [_("For your protection this step takes a few seconds. "
                           "Please press the button again.")]
    return False


@bp.get("/<public_id>")
def show(public_id: str):
    chat = _chat_or_404(public_id)
    if request.args.get("new"):
        # Without a script, "Show new messages" comes here: a link to "#latest" on the page
        # that already is at "#latest" (after sending) would only scroll, never reload.
        return redirect(url_for(".show", public_id=public_id, _anchor="latest"))
    rooms.seen_by_requester(chat)
    return _page(chat, ChatMessageForm(formdata=None))


def _page(chat: Chat, form: ChatMessageForm, status: int = 200):
    """The chat page: waiting room, conversation or its end (a refused message keeps its text)."""
    return render_template(
        "chat/requester.html", chat=chat, form=form,
        lines=rooms.lines(rooms.messages_after(chat.id, 0, for_staff=False)),
        place=rooms.place_of(chat) if chat.status == WAITING else None,
        available=presence.chat_available_now() if chat.status == WAITING else None,
        keep_until=rooms.guest_keep_deadline(chat) if chat.is_guest else None,
        signed_in=requester.current() is not None,
    ), status


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.post("/<public_id>/send")
def send(public_id: str):
    chat = _chat_or_404(public_id)
    form = ChatMessageForm()
    if not form.validate_on_submit():
        if _wants_json():
            return jsonify(errors=[e for errs in form.errors.values() for e in errs]), 400
        return _page(chat, form, 400)
    try:
        message = rooms.post(chat, REQUESTER, form.body.data, form.nonce.data)
    except rooms.ChatEnded:
        if _wants_json():
            return jsonify(errors=[_("This chat has ended.")]), 409
        flash(_("This chat has ended. Your last message was not sent."), "error")
        return redirect(url_for(".show", public_id=public_id))
    rooms.seen_by_requester(chat)
    if _wants_json():
        return jsonify(id=message.id)
    return redirect(url_for(".show", public_id=public_id, _anchor="latest"))


@bp.post("/<public_id>/end")
def end(public_id: str):
    chat = _chat_or_404(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    rooms.end(chat)
    if request.form.get("then") == "write":
        if chat.is_guest:
            rooms.delete(chat)
            session.pop(GUEST, None)
            return redirect(url_for("requests.new_account"))
        return redirect(url_for("requests_cases.new"))
    return redirect(url_for(".show", public_id=public_id))


@bp.post("/<public_id>/keep")
def keep(public_id: str):
    """The guest keeps the conversation: on to the anonymous account (case key shown there)."""
    chat = _chat_or_404(public_id)
    if not ConfirmForm().validate_on_submit() or not chat.is_guest:
        abort(400)
    if _guest_org() is None:  # the access code step is long ago: the session lost it
        session["requester_signup"] = {"org": chat.organisation_id, "code": None}
    session[KEEP] = True
    return redirect(url_for("requests.new_account"))


@bp.post("/<public_id>/delete")
def delete(public_id: str):
    chat = _chat_or_404(public_id)
    if not ConfirmForm().validate_on_submit() or not chat.is_guest:
        abort(400)
    rooms.delete(chat)
    session.pop(GUEST, None)
    session.pop(KEEP, None)
    flash(_("The conversation is deleted."), "info")
    return redirect(url_for("requests.access"))


@bp.get("/<public_id>/events")
def events(public_id: str):
    """The chat's event stream (Server-Sent Events)."""
    chat = _chat_or_404(public_id)
    rooms.seen_by_requester(chat)
    return stream.chat_response(chat, for_staff=False)
