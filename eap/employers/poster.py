"""The employee access link and its QR code (segno), for the access page and the poster."""

import io

import segno

from eap.employers.access_codes import normalise
from eap.employers.links import public_url


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
