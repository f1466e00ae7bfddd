"""Checking a person's answers against a version's fields (pure: portal, kiosk and staff filling call it).

`validate_answers(fields, submitted, lang, today)` returns the cleaned answers and, per field key,
one sentence in the person's language saying what to change. The sentences are in the Spanish
catalogue (marked with N_ below); they are looked up here without a Flask request, so a worker or
a test can call this as well as a view.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

from .fields import ANSWER_KINDS, FieldKind

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"
MAX_RAW = 20_000  # characters of one submitted value looked at (a text field's own limit is lower)
NUMBER_RE = re.compile(r"^[+-]?(\d{1,13}([.,]\d{1,6})?|[.,]\d{1,6})$")
YES_NO = ("yes", "no")


def N_(message: str) -> str:  # noqa: N802  (the gettext marker every extractor knows)
    """Mark a message for the catalogue; it is translated when shown."""
    return message


REQUIRED = N_("Answer this question.")
REQUIRED_CHOICE = N_("Choose an answer.")
REQUIRED_CHOICES = N_("Choose at least one answer.")
REQUIRED_YES_NO = N_("Choose Yes or No.")
NOT_A_CHOICE = N_("Choose one of the answers listed.")
TOO_SHORT = N_("Enter at least %(n)s characters.")
TOO_LONG = N_("Use at most %(n)s characters.")
CONTROL_CHARACTERS = N_("Remove the invisible control characters from this text.")
NOT_A_NUMBER = N_("Enter a number, like 12 or 3.5.")
TOO_SMALL = N_("Enter a number of at least %(n)s.")
TOO_LARGE = N_("Enter a number no greater than %(n)s.")
NOT_A_DATE = N_("Enter a date like 2026-03-31 (year, month, day).")
NOT_PAST = N_("Enter a date before today.")
NOT_FUTURE = N_("Enter a date after today.")


@lru_cache(maxsize=4)
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of `lang` (English needs none)."""
    if lang == "en":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS_DIR), [lang], domain="messages")


def message(msgid: str, lang: str, **params: Any) -> str:
    """One sentence in `lang`, with its %(name)s parameters filled in."""
    text = translations(lang).gettext(msgid)
    return text % params if params else text


@dataclass
class AnswerCheck:
    """Cleaned answers (text, number as text, ISO date, "yes"/"no", a choice value or a list of them)
    and one error sentence per field key that needs correcting."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _raw(submitted: Mapping, key: str, many: bool) -> Any:
    """The submitted value(s) of one field, from a dict or a MultiDict (request.form)."""
    if many:
        if hasattr(submitted, "getlist"):
            values = submitted.getlist(key)
        else:
            value = submitted.get(key)
            values = value if isinstance(value, list | tuple) else ([] if value in (None, "") else [value])
        return [str(v)[:MAX_RAW] for v in values if v not in (None, "")]
    value = submitted.get(key)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return "" if value is None else str(value)[:MAX_RAW]


def _has_control_characters(text: str, multiline: bool) -> bool:
    allowed = "\r\n\t" if multiline else "\t"
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def _number_text(value: int | float) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def _check_text(f: dict, text: str) -> tuple[Any, str | None, dict]:
    multiline = f["kind"] == FieldKind.LONG_TEXT
    text = text.strip()
    if multiline:
        text = text.replace("\r\n", "\n")
    if _has_control_characters(text, multiline):
        return None, CONTROL_CHARACTERS, {}
    if f["max_length"] and len(text) > f["max_length"]:
        return None, TOO_LONG, {"n": f["max_length"]}
    if text and f["min_length"] and len(text) < f["min_length"]:
        return None, TOO_SHORT, {"n": f["min_length"]}
    return text, None, {}


def _check_number(f: dict, text: str) -> tuple[Any, str | None, dict]:
    text = text.strip().replace(" ", "")
    if not text:
        return "", None, {}
    if not NUMBER_RE.match(text):
        return None, NOT_A_NUMBER, {}
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None, NOT_A_NUMBER, {}
    if f["min_value"] is not None and number < Decimal(str(f["min_value"])):
        return None, TOO_SMALL, {"n": _number_text(f["min_value"])}
    if f["max_value"] is not None and number > Decimal(str(f["max_value"])):
        return None, TOO_LARGE, {"n": _number_text(f["max_value"])}
    return format(number.normalize(), "f"), None, {}


def _check_date(f: dict, text: str, today: date) -> tuple[Any, str | None, dict]:
    text = text.strip()
    if not text:
        return "", None, {}
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2200:
        return None, NOT_A_DATE, {}
    if f["date_rule"] == "past" and day >= today:
        return None, NOT_PAST, {}
    if f["date_rule"] == "future" and day <= today:
        return None, NOT_FUTURE, {}
    return day.isoformat(), None, {}


def _check_one(f: dict, raw: Any, today: date) -> tuple[Any, str | None, dict]:
    """(clean value, error msgid or None, its parameters) for one answerable field."""
    kind = f["kind"]
    if kind in (FieldKind.SHORT_TEXT, FieldKind.LONG_TEXT):
        value, error, params = _check_text(f, raw)
    elif kind == FieldKind.NUMBER:
        value, error, params = _check_number(f, raw)
    elif kind == FieldKind.DATE:
        value, error, params = _check_date(f, raw, today)
    elif kind == FieldKind.YES_NO:
        value = raw.strip().lower()
        error, params = (None, {}) if value in ("", *YES_NO) else (REQUIRED_YES_NO, {})
    elif kind == FieldKind.SINGLE_CHOICE:
        value = raw
        known = {c["value"] for c in f["choices"]}
        error, params = (None, {}) if value == "" or value in known else (NOT_A_CHOICE, {})
    else:  # multiple choice: keep the template's order, once each
        known = [c["value"] for c in f["choices"]]
        error = NOT_A_CHOICE if any(v not in known for v in raw) else None
        value, params = [v for v in known if v in raw], {}
    if error is None and f["required"] and value in ("", []):
        error = {FieldKind.YES_NO: REQUIRED_YES_NO, FieldKind.SINGLE_CHOICE: REQUIRED_CHOICE,
                 FieldKind.MULTIPLE_CHOICE: REQUIRED_CHOICES}.get(kind, REQUIRED)
    return value, error, params


def validate_answers(fields: list[dict], submitted: Mapping, lang: str = "en",
                     today: date | None = None) -> AnswerCheck:
    """Check `submitted` (a dict or request.form) against `fields`; errors are sentences in `lang`.

    Headings, static text and signature blocks take no answer and are skipped; keys that are not
    fields of the version are ignored. `today` is the agency's local date (date rules compare to it).
    """
    today = today or date.today()
    check = AnswerCheck()
    for f in fields:
        if f["kind"] not in ANSWER_KINDS:
            continue
        raw = _raw(submitted, f["key"], many=f["kind"] == FieldKind.MULTIPLE_CHOICE)
        value, error, params = _check_one(f, raw, today)
        if error is None:
            check.values[f["key"]] = value
        else:
            check.errors[f["key"]] = message(error, lang, **params)
    return check


def form_values(fields: list[dict], submitted: Mapping) -> dict[str, Any]:
    """What the person typed, to show again beside the errors (nothing dropped, nothing cleaned)."""
    return {f["key"]: _raw(submitted, f["key"], many=f["kind"] == FieldKind.MULTIPLE_CHOICE)
            for f in fields if f["kind"] in ANSWER_KINDS}
