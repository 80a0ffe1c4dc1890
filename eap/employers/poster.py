"""The employee access link and its QR code (segno), for the access page and the poster."""

import io

import segno

from eap.employers.access_codes import normalise
from eap.employers.links import public_url
from eap.i18n import CONVERSATION_LANGUAGES


def access_link(plain_code: str) -> str:
    """The link that opens the requester access page with the code filled in."""
    return public_url("requests.access", code=normalise(plain_code))


def qr_code(data: str) -> segno.QRCode:
    # Error level "q": still readable on a crumpled or partly covered notice-board print.
    return segno.make(data, error="q", micro=False)


def qr_svg(data: str, title: str) -> bytes:
    buffer = io.BytesIO()
    qr_code(data).save(buffer, kind="svg", scale=8, border=4, title=title, xmldecl=True)
    return buffer.getvalue()


def other_languages(poster_language: str) -> list[tuple[str, str]]:
    """The requester languages other than the poster's own, each named in itself, for the
    poster's "Help also in Türkçe · العربية · ..." line (German first when it is not the
    poster's language, English last)."""
    order = ["de", "tr", "ar", "ru", "uk", "en"]
    return [(code, CONVERSATION_LANGUAGES[code]) for code in order if code != poster_language]
