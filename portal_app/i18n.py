"""Language: English and Spanish on the portal, kiosk and links; staff and partner in English.

A client's choice follows them between their portal and the pages of the links they are emailed (an
invitation, a password reset): both read a small `cp_lang` cookie (a language code, nothing personal),
written whenever the language is chosen there, or set by the email's own language when its link is opened.
The kiosk, a shared tablet, keeps its choice in its own session only.
"""
from __future__ import annotations

from functools import cache

from babel import support
from flask import Flask, Response, after_this_request, current_app, g, request, session
from flask_babel import get_translations
from werkzeug.utils import cached_property
from wtforms.i18n import messages_path

from .extensions import babel
from .sites import current_site

CHOOSABLE_SITES = ("portal", "kiosk", "links")
SHARED_LANGUAGE_SITES = ("portal", "links")
LANG_COOKIE = "cp_lang"
LANG_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def chosen_language() -> str | None:
    """The language chosen in this browser for this site, if any (not the browser's own preference)."""
    languages = current_app.config["LANGUAGES"]
    candidates = [session.get("lang")]
    if current_site() in SHARED_LANGUAGE_SITES:  # the latest choice made on the portal or a link page comes first
        candidates[:0] = [g.get("chosen_lang"), request.cookies.get(LANG_COOKIE)]
    return next((chosen for chosen in candidates if chosen in languages), None)


def select_locale() -> str:
    if current_site() not in CHOOSABLE_SITES:
        return "en"
    return chosen_language() or request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "en"


def choose_language(code: str) -> bool:
    """Remember the visitor's language in this site's session (and, on portal and links, for both)."""
    if code not in current_app.config["LANGUAGES"]:
        return False
    session["lang"] = code
    if current_site() in SHARED_LANGUAGE_SITES:
        remember_language(code)
    return True


def remember_language(code: str) -> None:
    """The portal and the link pages speak `code` from this response on (the `cp_lang` cookie)."""
    if code not in current_app.config["LANGUAGES"]:
        return
    g.chosen_lang = code

    @after_this_request
    def set_cookie(response: Response) -> Response:
        response.set_cookie(LANG_COOKIE, code, max_age=LANG_COOKIE_AGE, path="/", httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
        return response


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


def request_translations() -> support.Translations:
    """Flask-Babel's catalogue for the request's language, kept beside that language on Flask-Babel's own
    request context: each `_()` of a template otherwise walked `g` and that context five times to find
    the same catalogue (a portal page has dozens). A change of language (force_locale) finds it again."""
    ctx = g.get("_flask_babel")
    locale = getattr(ctx, "babel_locale", None)
    kept = getattr(ctx, "caseport_translations", None)
    if locale is not None and kept is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    locale = getattr(ctx, "babel_locale", None) if ctx is not None else None
    if locale is not None:
        ctx.caseport_translations = (locale, translations)
    return translations


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(  # Flask-Babel's, with the catalogue found once per request
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
    app.request_class = type("CaseportRequest", (WtformsTranslationsOnce, app.request_class), {})

    @app.context_processor
    def language_context():
        from flask_babel import get_locale

        return {"current_language": str(get_locale() or "en"), "language_names": LANGUAGE_NAMES}
