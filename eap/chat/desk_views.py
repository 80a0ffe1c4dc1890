"""The chat desk for iGuS staff: open for chats, the waiting room, take (the next) chat, the
conversation with internal notes, hand over, end, turn into a case."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from eap.chat import broker as notices
from eap.chat import desk, presence, rooms, stream
from eap.chat.desk_forms import HandOverForm, NoteForm, PresenceForm, ToCaseForm
from eap.chat.forms import ChatMessageForm
from eap.chat.models import NOTE, STAFF, Chat
from eap.requests import choices
from eap.security.access import staff_required
from eap.security.forms import ConfirmForm

bp = Blueprint("chat_desk", __name__, url_prefix="/staff/chat")


@bp.before_request
@staff_required()
def staff_only():
    return None


def _presence_form() -> PresenceForm:
    form = PresenceForm(formdata=None)
    form.max_parallel.data = presence.max_parallel(current_user)
    row = presence.of(current_user)
    form.with_availability.data = bool(row and row.with_availability)
    return form


def _may_take() -> bool:
    """Counsellors and triage hold chats; administrators may read them, not take them."""
    return current_user.role in presence.CHAT_ROLES


@bp.get("/")
def index():
    waiters = desk.waiting_room()
    if request.args.get("part") == "queue":  # the desk's script refreshes only the list
        return render_template("chat/_queue.html", waiters=waiters,
                               languages=choices.LANGUAGES, may_take=_may_take())
    return render_template(
        "chat/desk.html", waiters=waiters, mine=desk.my_chats(current_user),
        is_open=presence.is_open(current_user), presence=presence.of(current_user),
        form=_presence_form(), languages=choices.LANGUAGES,
        max_parallel=presence.max_parallel(current_user), may_take=_may_take(),
    )


def _chat_role_only() -> None:
    if not _may_take():
        abort(403)


@bp.post("/presence")
def set_presence():
    _chat_role_only()
    form = PresenceForm()
    if request.form.get("close"):
        if not ConfirmForm().validate_on_submit():
            abort(400)
        presence.close(current_user)
        flash(_("You are closed for chats."), "info")
        return redirect(url_for(".index"))
    if not form.validate_on_submit():
        return render_template(
            "chat/desk.html", waiters=desk.waiting_room(), mine=desk.my_chats(current_user),
            is_open=presence.is_open(current_user), presence=presence.of(current_user),
            form=form, languages=choices.LANGUAGES,
            max_parallel=presence.max_parallel(current_user), may_take=_may_take(),
        ), 400
    hours = int(form.hours.data)
    presence.open_for(current_user, hours or None, form.max_parallel.data,
                      with_availability=form.with_availability.data or hours == 0)
    flash(_("You are open for chats."), "info")
    return redirect(url_for(".index"))


@bp.post("/take")
def take():
    """Take a chosen waiter (``chat``) or the next one in the queue."""
    _chat_role_only()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    limit = presence.max_parallel(current_user)
    try:
        if request.form.get("chat"):
            chat = rooms.find(request.form["chat"])
            if chat is None:
                raise rooms.NotYours()
            rooms.take(chat, current_user, limit)
        else:
            chat = rooms.take_next(current_user, limit)
            if chat is None:
                flash(_("Nobody is waiting."), "info")
                return redirect(url_for(".index"))
    except rooms.TooMany:
        flash(_("You already hold %(n)d chats. End one first.", n=limit), "error")
        return redirect(url_for(".index"))
    except rooms.NotYours:
        flash(_("Someone else has just taken this chat, or the person has left."), "error")
        return redirect(url_for(".index"))
    return redirect(url_for(".show", public_id=chat.public_id))


def _chat_or_404(public_id: str) -> Chat:
    chat = rooms.find(public_id)
    if chat is None or not desk.may_open(chat, current_user):
        abort(404)
    return chat


def _page(chat: Chat, form=None, note_form=None, case_form=None, status: int = 200):
    hand_over = HandOverForm(formdata=None)
    hand_over.staff_id.choices = [SelectChoice(p.id, p.name) for p in desk.colleagues(current_user)]
    desk.audit_open(chat, current_user)
    return render_template(
        "chat/staff.html", chat=chat,
        lines=rooms.lines(rooms.messages_after(chat.id, 0, for_staff=True)),
        form=form or ChatMessageForm(formdata=None), note_form=note_form or NoteForm(formdata=None),
        case_form=case_form or ToCaseForm(formdata=None), hand_over=hand_over,
        mine=chat.staff_id == current_user.id, languages=choices.LANGUAGES,
    ), status


@bp.get("/<public_id>")
def show(public_id: str):
    return _page(_chat_or_404(public_id))


@bp.post("/<public_id>/send")
def send(public_id: str):
    chat = _chat_or_404(public_id)
    note = request.form.get("kind") == "note"
    form = NoteForm() if note else ChatMessageForm()
    if chat.staff_id != current_user.id and not note:
        abort(403)  # only the counsellor holding the chat writes to the person
    if not form.validate_on_submit():
        if request.accept_mimetypes.best == "application/json":
            return jsonify(errors=[e for errs in form.errors.values() for e in errs]), 400
        return _page(chat, **({"note_form": form} if note else {"form": form}), status=400)
    try:
        message = rooms.post(chat, NOTE if note else STAFF, form.body.data, form.nonce.data,
                             staff=current_user)
    except rooms.ChatEnded:
        flash(_("This chat has ended."), "error")
        return redirect(url_for(".show", public_id=public_id))
    if request.accept_mimetypes.best == "application/json":
        return jsonify(id=message.id)
    return redirect(url_for(".show", public_id=public_id, _anchor="latest"))


@bp.post("/<public_id>/end")
def end(public_id: str):
    chat = _chat_or_404(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    rooms.end(chat, by_staff=current_user)
    flash(_("The chat has ended."), "info")
    return redirect(url_for(".show", public_id=public_id))


@bp.post("/<public_id>/hand-over")
def hand_over(public_id: str):
    chat = _chat_or_404(public_id)
    form = HandOverForm()
    people = {p.id: p for p in desk.colleagues(current_user)}
    form.staff_id.choices = [SelectChoice(p.id, p.name) for p in people.values()]
    if not form.validate_on_submit():
        flash(_("Please choose a colleague."), "error")
        return redirect(url_for(".show", public_id=public_id))
    try:
        rooms.hand_over(chat, people[form.staff_id.data], current_user)
    except rooms.ChatEnded:
        flash(_("This chat has ended."), "error")
        return redirect(url_for(".show", public_id=public_id))
    flash(_("The chat is handed over to %(name)s.", name=people[form.staff_id.data].name),
          "info")
    return redirect(url_for(".index"))


@bp.post("/<public_id>/case")
def to_case(public_id: str):
    chat = _chat_or_404(public_id)
    form = ToCaseForm()
    if chat.is_guest:
        flash(_("A guest's chat becomes a case once the person keeps it as an anonymous "
                "account."), "error")
        return redirect(url_for(".show", public_id=public_id))
    if not form.validate_on_submit():
        return _page(chat, case_form=form, status=400)
    case = desk.to_case(chat, current_user, form.nonce.data, form.area.data, form.topic.data,
                        form.for_whom.data, form.urgency.data)
    flash(_("The chat is now part of a case."), "info")
    return redirect(url_for("counselling.show", public_id=case.public_id))


@bp.get("/<public_id>/events")
def events(public_id: str):
    return stream.chat_response(_chat_or_404(public_id), for_staff=True)


@bp.get("/desk-events")
def desk_events():
    """The waiting room changed: the desk's script reloads its list (a visual notice only)."""

    def read(last: int):
        count = len(desk.waiting_room())
        return [stream.event("queue", {"waiting": count}, last + 1)], last + 1, False

    return stream.response(stream.stream((notices.DESK,), read, 0))
