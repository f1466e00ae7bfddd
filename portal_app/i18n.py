"""Language: English and Spanish on the portal, kiosk and links; staff and partner in English."""
from __future__ import annotations

from flask import Flask, current_app, request, session

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


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def language_context():
        from flask_babel import get_locale

        return {"current_language": str(get_locale() or "en"), "language_names": LANGUAGE_NAMES}
