"""Anonymous access: language, access code, account creation, sign-in, recovery, sign-out."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from eap.billing import contracts
from eap.employers import access_codes
from eap.extensions import limiter
from eap.i18n import REQUESTER_LANGUAGES
from eap.redirects import safe_next
from eap.requests import accounts, cases, choices, limits, signals
from eap.requests import session as requester
from eap.requests.forms import (
    AccessCodeForm,
    CreateAccountForm,
    KeySavedForm,
    RecoverForm,
    SignInForm,
)
from eap.security import crypto, pressure, proof_of_work
from eap.security.forms import ConfirmForm

bp = Blueprint("requests", __name__, url_prefix="/help")
SIGNUP = "requester_signup"
SHOW_ONCE = "requester_show_once"

def _limited(key_func):
    """Failed attempts throttled per submitted secret. Globally, failures are a signal and a
    cost (``pressure.failed`` in the views), never a lock for the right secret."""

    def decorator(view):
        return limiter.limit(limits.per_secret, key_func=key_func, methods=["POST"],
                             deduct_when=limits.only_failures)(view)

    return decorator


@bp.get("/")
def start():
    """Language first: the six requester languages, each named in itself."""
    target = safe_next(request.args.get("next")) or url_for("requests.access")
    return render_template("requests/start.html", languages=REQUESTER_LANGUAGES, target=target)


@bp.route("/access", methods=["GET", "POST"])
@_limited(limits.by_access_code)
def access():
    if request.method == "GET" and "lang" not in session:
        return redirect(url_for("requests.start", next=request.full_path.rstrip("?")))
    form = AccessCodeForm(code=request.args.get("code", ""))
    if form.validate_on_submit() and _proof_of_work_passed(POW_ACCESS, form.code):
        code = access_codes.find_usable_code(form.code.data)
        if code is None:
            pressure.failed("requester-secret")
            form.code.errors = [_("We do not know this access code. Please check it.")]
        elif contracts.access_contract(code.organisation_id) is None:
            return render_template("requests/access_ended.html")
        else:
            session[SIGNUP] = {"org": code.organisation_id, "code": code.id}
            return redirect(url_for("requests.new_account"))
    return render_template("requests/access.html", form=form, signed_in=requester.current(),
                           challenge=proof_of_work.challenge(POW_ACCESS))


POW_ACCESS, POW_ACCOUNT = "access", "account"


def _proof_of_work_passed(purpose: str, field) -> bool:
    """The step's proof of work (eap.security.proof_of_work); if missing or too early, the
    page comes again with what was typed and a new challenge. Not a failed secret: the rate
    limit of the submitted code does not count it (limits.only_failures)."""
    if proof_of_work.check(purpose) == proof_of_work.PASSED:
        return True
    limits.not_a_failed_secret()
    field.errors = [_("For your protection this step takes a few seconds. "
                      "Please press the button again.")]
    return False


def _signup() -> dict:
    data = session.get(SIGNUP)
    if not data:
        abort(redirect(url_for("requests.access")))
    return data


# The session cookie is signed, not encrypted: the case key and recovery code that wait in it
# between two steps are sealed with the data key (crypto.encrypt), so the cookie never carries
# them readable.
def _unseal(sealed: str, restart: str) -> str:
    try:
        return crypto.decrypt(sealed)
    except crypto.DecryptionError:  # e.g. the key was rotated meanwhile: start this step again
        session.pop(SIGNUP, None)
        session.pop(SHOW_ONCE, None)
        abort(redirect(url_for(restart)))


@bp.route("/account/new", methods=["GET", "POST"])
def new_account():
    """Step 1: the generated case key, and the "write it down" confirmation."""
    data = _signup()
    if "key" not in data:
        data = {**data, "key": crypto.encrypt(accounts.new_secret())}
        session[SIGNUP] = data
    form = KeySavedForm()
    if form.validate_on_submit():
        session[SIGNUP] = {**data, "saved": True}
        return redirect(url_for("requests.choose_passphrase"))
    return render_template(
        "requests/new_key.html", form=form,
        case_key=accounts.grouped(_unseal(data["key"], "requests.access")),
    )


def _type_choices(organisation_id: int) -> list[SelectChoice]:
    contract = contracts.access_contract(organisation_id)
    types = [SelectChoice(value, label) for value, label in choices.REQUESTER_TYPES.items()]
    if contract is not None and not contract.package.dependants_included:
        types = types[:1]
    return types


@bp.route("/account/passphrase", methods=["GET", "POST"])
def choose_passphrase():
    """Step 2: who they are (statistics only) and their passphrase; then the account exists."""
    data = _signup()
    if not data.get("saved"):
        return redirect(url_for("requests.new_account"))
    form = CreateAccountForm()
    form.requester_type.choices = _type_choices(data["org"])
    if form.validate_on_submit():
        problem = accounts.passphrase_problem(form.passphrase.data)
        if problem:
            form.passphrase.errors = [problem]
        elif contracts.access_contract(data["org"]) is None:
            return render_template("requests/access_ended.html")
        elif _proof_of_work_passed(POW_ACCOUNT, form.passphrase):
            account, recovery = accounts.create_account(
                _unseal(data["key"], "requests.access"), form.passphrase.data, data["org"],
                data.get("code"),
                form.requester_type.data,
            )
            limits.note_new_account(data["org"], data.get("code"))
            signals.account_created.send(account)  # a guest's chat that is kept joins it
            requester.sign_in(account)
            session[SHOW_ONCE] = {"recovery": crypto.encrypt(recovery)}
            return redirect(url_for("requests.welcome"))
    return render_template(
        "requests/passphrase.html", form=form, min_length=accounts.MIN_PASSPHRASE,
        challenge=proof_of_work.challenge(POW_ACCOUNT),
    )


@bp.get("/account/welcome")
@requester.requester_required()
def welcome():
    """The recovery code (and after a recovery, the new case key): shown once, never again."""
    shown = session.pop(SHOW_ONCE, None)
    if not shown:
        return redirect(url_for("requests_cases.index"))
    return render_template(
        "requests/welcome.html",
        recovery=accounts.grouped(_unseal(shown["recovery"], "requests_cases.index")),
        case_key=(accounts.grouped(_unseal(shown["key"], "requests_cases.index"))
                  if shown.get("key") else None),
    )


@bp.route("/sign-in", methods=["GET", "POST"])
@_limited(limits.by_case_key)
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        account = accounts.authenticate(form.case_key.data, form.passphrase.data)
        if account is not None:
            draft, target = form.draft.data or "", form.draft_target.data or ""
            requester.sign_in(account)
            if draft:
                return _resume_draft(account, draft[: requester.DRAFT_LIMIT], target)
            return redirect(url_for("requests_cases.index"))
        # The same answer for a wrong passphrase and for a key that does not exist.
        pressure.failed("requester-secret")
        flash(_("Case key or passphrase is wrong."), "error")
    return render_template("requests/sign_in.html", form=form)


def _resume_draft(account, draft: str, target: str):
    """After a new sign-in, show the interrupted form again with the text in it (not sent)."""
    from eap.requests import case_views

    try:
        endpoint, args = current_app.url_map.bind("localhost").match(target, method="POST")
    except Exception:  # noqa: BLE001 - any unknown target: fall back to the request form
        endpoint, args = "", {}
    if endpoint == "requests_cases.reply":
        case = cases.get_case_or_404(account, args["public_id"])
        return case_views.show_case(case, draft=draft)
    return case_views.show_request_form(acute=False, description=draft)


@bp.route("/recover", methods=["GET", "POST"])
@_limited(limits.by_recovery_code)
def recover():
    form = RecoverForm()
    if form.validate_on_submit():
        problem = accounts.passphrase_problem(form.passphrase.data)
        result = None if problem else accounts.recover(
            form.recovery_code.data, form.passphrase.data
        )
        if problem:
            form.passphrase.errors = [problem]
        elif result is None:
            pressure.failed("requester-secret")
            flash(_("This recovery code is not valid."), "error")
        else:
            account, case_key, recovery = result
            requester.sign_in(account)
            session[SHOW_ONCE] = {
                "key": crypto.encrypt(case_key), "recovery": crypto.encrypt(recovery),
            }
            return redirect(url_for("requests.welcome"))
    return render_template("requests/recover.html", form=form)


@bp.post("/sign-out")
def sign_out():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    requester.sign_out()
    flash(_("You are signed out."), "info")
    return redirect(url_for("requests.sign_in"))


@bp.post("/sign-out-everywhere")
@requester.requester_required()
def sign_out_everywhere():
    """The same revocation as signing out, offered where people look for it (own data)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    requester.sign_out()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("requests.sign_in"))
