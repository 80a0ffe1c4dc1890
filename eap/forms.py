"""The portal's base form: Flask-WTF's form, with WTForms' own messages from a catalogue that is
read once per language and process.

Flask-WTF reads WTForms' message catalogue (``wtforms/locale/<lang>/LC_MESSAGES/wtforms.mo``)
from disk again in every request that builds a form, because it keeps the catalogue on the
request. The catalogues are part of the installed package and never change while the process
runs, so one read per language is enough.
"""

from __future__ import annotations

from functools import lru_cache

from babel import support
from flask import current_app, has_request_context
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path


@lru_cache(maxsize=16)
def wtforms_catalogue(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class PortalForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            if not has_request_context() or not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return wtforms_catalogue(str(get_locale()))
