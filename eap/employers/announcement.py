"""The announcement kit: ready texts (German and English) for the intranet and a staff e-mail.

Written in both languages whatever the page language: many employers address mixed staff.
The texts name the service, the access link and code, and the confidentiality promise; they
never suggest that HR learns anything about who asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from eap.employers.access_codes import grouped
from eap.employers.poster import access_link


@dataclass(frozen=True)
class KitText:
    key: str  # intranet-de, email-en, ...
    language: str
    kind: str  # "intranet" or "email"
    text: str


KIT = Path(__file__).resolve().parent / "kit"  # <kind>.<language>.txt, {org} {link} {code}


@cache
def _template(kind: str, language: str) -> str:
    return (KIT / f"{kind}.{language}.txt").read_text("utf-8").strip()


def kit(organisation_name: str, plain_code: str) -> list[KitText]:
    values = {"org": organisation_name, "link": access_link(plain_code),
              "code": grouped(plain_code)}
    return [
        KitText(f"{kind}-{language}", language, kind, _template(kind, language).format(**values))
        for kind in ("intranet", "email")
        for language in ("de", "en")
    ]
