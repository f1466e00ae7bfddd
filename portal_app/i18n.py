"""Language: English and Spanish on the portal, kiosk and links; staff and partner in English."""
from __future__ import annotations

from functools import cache

from babel import support
from flask import Flask, current_app, request, session
from werkzeug.utils import cached_property
from wtforms.i18n import messages_path

from .extensions import babel
from .sites import current_site

CHOOSABLE_SITES = ("portal", "kiosk", "links")
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_site() not in CHOOSABLE_SITES:
        return "en"
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or "en"


def choose_language(code: str) -> bool:
    """Remember the visitor's language in this site's session."""
    if code not in current_app.config["LANGUAGES"]:
        return False
    session["lang"] = code
    return True


@cache
def _wtforms_translations(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class WtformsTranslationsOnce:
    """Request mixin: Flask-WTF's own messages in the request's language, read from disk once per process.

    Flask-WTF looks for `request.wtforms_translations` and, when missing, loads the catalogue files
    again; a field without a label asks for it, so every page with a form paid 0.2-0.4 ms for it.
    """

    @cached_property
    def wtforms_translations(self) -> support.Translations:
        from flask_babel import get_locale

        return _wtforms_translations(str(get_locale() or "en"))


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.request_class = type("CaseportRequest", (WtformsTranslationsOnce, app.request_class), {})

    @app.context_processor
    def language_context():
        from flask_babel import get_locale

        return {"current_language": str(get_locale() or "en"), "language_names": LANGUAGE_NAMES}
