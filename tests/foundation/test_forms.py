"""WTForms' own messages (here: a number that is not one) come in the request's
language, from a catalogue read once per language and process, not once per request."""

from babel import support
from wtforms import IntegerField

from eap import forms
from eap.forms import PortalForm


class Probe(PortalForm):
    class Meta:
        csrf = False

    number = IntegerField()


def _errors(app, language: str) -> list[str]:
    with app.test_request_context("/", method="POST", data={"number": "zwölf"},
                                  headers={"Accept-Language": language}):
        form = Probe()
        form.validate()
        return form.number.errors


def test_wtforms_messages_follow_the_language_and_are_read_once(app, monkeypatch):
    reads = []
    read = support.Translations.load

    def counting_read(*args, **kwargs):
        reads.append(args)
        return read(*args, **kwargs)

    monkeypatch.setattr(support.Translations, "load", counting_read)
    forms.wtforms_catalogue.cache_clear()
    for _ in range(3):
        assert _errors(app, "de") == ["Keine gültige, ganze Zahl."]
        assert _errors(app, "en") == ["Not a valid integer value."]
    assert len(reads) == 2  # one per language
