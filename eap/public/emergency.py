"""Emergency and crisis numbers, and the iGuS phone line, in the visitor's language.

The numbers live in one data file, ``eap/data/emergency_numbers.toml`` (each with its purpose
and the languages it answers in, written in every requester language), so that keeping them
current is one edit; docs/accessibility.md says how. The phone line comes from the settings
``PHONE_LINE_NUMBER``, ``PHONE_LINE_DIAL`` and ``PHONE_LINE_HOURS``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.dates import get_day_names

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "emergency_numbers.toml"
TEXT_FIELDS = ("label", "purpose", "languages")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(
    r"^(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+(?P<opens>\d\d:\d\d)-(?P<closes>\d\d:\d\d)$"
)


@dataclass(frozen=True)
class EmergencyNumber:
    number: str  # as printed, grouped for reading aloud
    dial: str  # for the tel: link
    footer: bool  # also in the short list of every page's footer
    label: str
    purpose: str
    languages: str

    def __iter__(self):
        """``label, number, dial``: the shape the templates have always unpacked."""
        return iter((self.label, self.number, self.dial))


@lru_cache(maxsize=1)
def _entries() -> tuple[dict, ...]:
    with DATA_FILE.open("rb") as handle:
        return tuple(tomllib.load(handle)["number"])


def _fallbacks(language: str) -> tuple[str, ...]:
    """The language, its base language ("de" for "de-simple"), then German, then English."""
    return (language, language.split("-")[0].split("_")[0], "de", "en")


def _text(entry: dict, field: str, language: str) -> str:
    texts = entry[field]
    return next(texts[code] for code in _fallbacks(language) if texts.get(code))


@lru_cache(maxsize=16)
def numbers_for(language: str) -> tuple[EmergencyNumber, ...]:
    """Every number of the data file, its texts in ``language``, in the file's order."""
    return tuple(
        EmergencyNumber(
            number=entry["number"], dial=entry["dial"], footer=bool(entry.get("footer")),
            **{field: _text(entry, field, language) for field in TEXT_FIELDS},
        )
        for entry in _entries()
    )


def footer_numbers(language: str) -> tuple[EmergencyNumber, ...]:
    return tuple(number for number in numbers_for(language) if number.footer)


@dataclass(frozen=True)
class PhoneLine:
    number: str
    dial: str
    hours: tuple[tuple[str, str], ...]  # (days, times), e.g. ("Montag – Freitag", "08:00–18:00")


def parse_hours(setting: str) -> tuple[tuple[str, str, str, str], ...]:
    """``"mon-fri 08:00-18:00; sat 09:00-12:00"`` → ((first, last, opens, closes), ...)."""
    spans = []
    for part in filter(None, (piece.strip().lower() for piece in setting.split(";"))):
        match = _HOURS.match(part)
        if not match or match["first"] not in DAYS or (match["last"] or "mon") not in DAYS:
            raise ValueError(f"PHONE_LINE_HOURS: cannot read {part!r} (e.g. 'mon-fri 08:00-18:00')")
        spans.append((match["first"], match["last"] or match["first"], match["opens"],
                      match["closes"]))
    return tuple(spans)


def phone_line(config, locale) -> PhoneLine | None:
    """The iGuS phone line with its hours in the visitor's language; None when not configured."""
    return _phone_line(
        (config.get("PHONE_LINE_NUMBER") or "").strip(),
        (config.get("PHONE_LINE_DIAL") or "").strip(),
        config.get("PHONE_LINE_HOURS") or "",
        locale,
    )


@lru_cache(maxsize=32)
def _phone_line(number: str, dial: str, setting: str, locale) -> PhoneLine | None:
    if not number:
        return None
    names = get_day_names("wide", locale=locale)
    hours = []
    for first, last, opens, closes in parse_hours(setting):
        days = names[DAYS.index(first)]
        if last != first:
            days = f"{days} – {names[DAYS.index(last)]}"
        hours.append((days, f"{opens}–{closes}"))
    return PhoneLine(number=number, dial=dial or re.sub(r"[^\d+]", "", number),
                     hours=tuple(hours))
