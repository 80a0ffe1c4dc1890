"""Issue 16: the emergency numbers live in one data file, complete in all six languages."""

import re
import tomllib

import pytest

from eap.public.emergency import DATA_FILE, numbers_for, parse_hours, phone_line

LANGUAGES = ("de", "en", "tr", "ar", "ru", "uk")
REQUIRED_NUMBERS = {"112", "110", "116 117", "0228 19240", "0800 111 0 111", "0800 111 0 222",
                    "116 123", "116 111", "116 016"}


def _entries():
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)["number"]


def test_the_data_file_has_every_number_with_every_text_in_every_language():
    entries = _entries()
    assert {entry["number"] for entry in entries} >= REQUIRED_NUMBERS
    for entry in entries:
        assert re.fullmatch(r"\+?\d+", entry["dial"]), entry["dial"]
        assert entry["dial"].lstrip("+").endswith(entry["number"].replace(" ", "").lstrip("0"))
        for field in ("label", "purpose", "languages"):
            missing = [code for code in LANGUAGES if not entry[field].get(code, "").strip()]
            assert not missing, f"{entry['number']} {field}: missing {missing}"


def test_the_crisis_line_says_it_answers_in_german_in_every_language():
    words = {"de": "Deutsch", "en": "German", "tr": "Almanca", "ar": "بالألمانية",
             "ru": "по-немецки", "uk": "німецькою"}
    for code, word in words.items():
        lines = [n for n in numbers_for(code) if "TelefonSeelsorge" in n.label]
        assert len(lines) == 3
        assert all(word in n.languages for n in lines), code


def test_unknown_language_falls_back_to_german():
    assert numbers_for("de-simple")[0].label == numbers_for("de")[0].label


@pytest.mark.parametrize(("setting", "expected"), [
    ("mon-fri 08:00-18:00", (("mon", "fri", "08:00", "18:00"),)),
    ("mon-thu 08:00-18:00; fri 08:00-14:00",
     (("mon", "thu", "08:00", "18:00"), ("fri", "fri", "08:00", "14:00"))),
    ("", ()),
])
def test_phone_hours_are_read(setting, expected):
    assert parse_hours(setting) == expected


@pytest.mark.parametrize("setting", ["monday 8-18", "mon-xyz 08:00-18:00", "mon 8:00-18:00"])
def test_a_wrong_phone_hours_setting_is_refused(setting):
    with pytest.raises(ValueError, match="PHONE_LINE_HOURS"):
        parse_hours(setting)


def test_phone_line_hours_in_the_visitors_language():
    config = {"PHONE_LINE_NUMBER": "0271 123 45", "PHONE_LINE_HOURS": "mon-fri 08:00-18:00"}
    assert phone_line(config, "de").hours == (("Montag – Freitag", "08:00–18:00"),)
    assert phone_line(config, "tr").hours[0][0] == "Pazartesi – Cuma"
    assert phone_line(config, "de").dial == "027112345"
    assert phone_line({"PHONE_LINE_NUMBER": ""}, "de") is None
