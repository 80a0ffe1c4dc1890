"""The language links and buttons: remember the visitor's language, go back where they were."""

from flask import Blueprint, redirect, request, session, url_for

from eap.i18n import REQUESTER_LANGUAGES
from eap.redirects import safe_next

bp = Blueprint("i18n", __name__)


def _remember(code: str, target: str | None):
    if code in REQUESTER_LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(target) or url_for("public.index"))


@bp.get("/language/<code>")
def switch_language(code: str):
    """The language links in every page's header: remember the language for this visit and go
    back where the visitor was. A link, not a form, so that a visitor who only reads the public
    pages gets no cookie at all (choosing a language is the first thing that sets one); a link
    from elsewhere can change nothing but the language."""
    return _remember(code, request.args.get("next"))


@bp.post("/language")
def choose_language():
    """The language buttons of the requester start page (a form, like the rest of that flow)."""
    return _remember(request.form.get("lang", ""), request.form.get("next"))
