"""The fields of a form template version, as validated JSON (pure: no database, no Flask).

A version stores its fields as a list of dicts; `check_fields` refuses any list that is not
well-formed, so every later reader (the form macro, answer validation, scoring, PDFs) can trust it.

    {"key": "f1", "kind": "short_text", "required": true,
     "label": {"en": "Full name", "es": "Nombre completo"}, "help": {"en": "", "es": ""},
     "min_length": null, "max_length": 200,                      # short_text, long_text
     "min_value": null, "max_value": null,                       # number
     "date_rule": "",                                            # date: "", "past", "future"
     "choices": [{"value": "0", "label": {"en": ..., "es": ...}, "score": 0}],  # single/multiple choice
     "flag_at": null,                                            # single choice: flag a score >= this
     "signer": "client"}                                         # signature: client, representative, staff
"""
from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

LANGUAGES = ("en", "es")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TEXT_LIMITS = {"short_text": 500, "long_text": 10_000}  # the most any answer may hold
DEFAULT_MAX = {"short_text": 200, "long_text": 4_000}
LABEL_MAX = 2_000  # static text may be a long paragraph; labels are shorter in practice
NUMBER_LIMIT = 10**12


class FieldKind(StrEnum):
    HEADING = "heading"
    STATIC_TEXT = "static_text"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    DATE = "date"
    YES_NO = "yes_no"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SIGNATURE = "signature"


KIND_LABELS = {
    FieldKind.HEADING: "Heading",
    FieldKind.STATIC_TEXT: "Static text",
    FieldKind.SHORT_TEXT: "Short text",
    FieldKind.LONG_TEXT: "Long text",
    FieldKind.NUMBER: "Number",
    FieldKind.DATE: "Date",
    FieldKind.YES_NO: "Yes / No",
    FieldKind.SINGLE_CHOICE: "Single choice",
    FieldKind.MULTIPLE_CHOICE: "Multiple choice",
    FieldKind.SIGNATURE: "Signature block",
}

# Kinds that only show text: no answer, never required.
DISPLAY_KINDS = frozenset({FieldKind.HEADING, FieldKind.STATIC_TEXT})
# Kinds whose answer is given by filling the form (signatures are given by signing, later).
ANSWER_KINDS = frozenset(set(FieldKind) - DISPLAY_KINDS - {FieldKind.SIGNATURE})
CHOICE_KINDS = frozenset({FieldKind.SINGLE_CHOICE, FieldKind.MULTIPLE_CHOICE})
TEXT_KINDS = frozenset({FieldKind.SHORT_TEXT, FieldKind.LONG_TEXT})


class Signer(StrEnum):
    CLIENT = "client"
    REPRESENTATIVE = "representative"
    STAFF = "staff"


SIGNER_LABELS = {
    Signer.CLIENT: "Client",
    Signer.REPRESENTATIVE: "Representative (on the client's behalf)",
    Signer.STAFF: "Staff countersignature",
}
DATE_RULES = {"": "Any date", "past": "Must be before today", "future": "Must be after today"}


class FieldSchemaError(ValueError):
    """A field list that is not well-formed; the message names the field and the problem."""


def text_in(value: Any, lang: str) -> str:
    """A bilingual text in `lang`, falling back to English."""
    if isinstance(value, dict):
        return value.get(lang) or value.get("en") or ""
    return str(value or "")


def _bilingual(value: Any, where: str, *, required: bool) -> dict[str, str]:
    if not isinstance(value, dict):
        raise FieldSchemaError(f"{where}: expected English and Spanish texts")
    out = {}
    for lang in LANGUAGES:
        text = value.get(lang, "")
        if not isinstance(text, str) or len(text) > LABEL_MAX:
            raise FieldSchemaError(f"{where}: the {lang} text is not a text of at most {LABEL_MAX} characters")
        if required and not text.strip():
            raise FieldSchemaError(f"{where}: the {lang} text is missing")
        out[lang] = text.strip()
    if not required and bool(out["en"]) != bool(out["es"]):
        raise FieldSchemaError(f"{where}: give it in both English and Spanish, or in neither")
    return out


def _whole(value: Any, where: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FieldSchemaError(f"{where}: expected a whole number from {low} to {high}")
    return value


def _number(value: Any, where: str) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > NUMBER_LIMIT:
        raise FieldSchemaError(f"{where}: expected a number")
    return value


def _choices(raw: Any, where: str) -> list[dict]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= 50:
        raise FieldSchemaError(f"{where}: expected 1 to 50 choices")
    seen, out = set(), []
    for n, choice in enumerate(raw, 1):
        if not isinstance(choice, dict):
            raise FieldSchemaError(f"{where}, choice {n}: expected a value and labels")
        value = choice.get("value")
        if not isinstance(value, str) or not value or len(value) > 40 or value in seen:
            raise FieldSchemaError(f"{where}, choice {n}: its value must be a short text used once")
        seen.add(value)
        out.append({"value": value, "label": _bilingual(choice.get("label"), f"{where}, choice {n}", required=True),
                    "score": _whole(choice.get("score"), f"{where}, choice {n} score", -1000, 1000)})
    return out


def check_field(raw: Any, where: str = "field") -> dict[str, Any]:
    """One field, normalized (every property present); FieldSchemaError when it is not well-formed."""
    if not isinstance(raw, dict):
        raise FieldSchemaError(f"{where}: expected an object")
    key = raw.get("key")
    if not isinstance(key, str) or not KEY_RE.match(key):
        raise FieldSchemaError(f"{where}: its key must be a short lower-case name")
    try:
        kind = FieldKind(raw.get("kind"))
    except ValueError:
        raise FieldSchemaError(f"{where}: unknown kind {raw.get('kind')!r}") from None
    where = f"{where} {key!r}"
    field: dict[str, Any] = {
        "key": key, "kind": str(kind),
        "label": _bilingual(raw.get("label"), f"{where} label", required=True),
        "help": _bilingual(raw.get("help") or {"en": "", "es": ""}, f"{where} help", required=False),
        "required": bool(raw.get("required")) and kind in ANSWER_KINDS,
        "min_length": None, "max_length": None, "min_value": None, "max_value": None,
        "date_rule": "", "choices": [], "flag_at": None, "signer": None,
    }
    if kind in TEXT_KINDS:
        limit = TEXT_LIMITS[kind]
        field["min_length"] = _whole(raw.get("min_length"), f"{where} minimum length", 1, limit)
        field["max_length"] = _whole(raw.get("max_length"), f"{where} maximum length", 1, limit) or DEFAULT_MAX[kind]
        if field["min_length"] and field["min_length"] > field["max_length"]:
            raise FieldSchemaError(f"{where}: the minimum length is above the maximum")
    elif kind == FieldKind.NUMBER:
        field["min_value"] = _number(raw.get("min_value"), f"{where} minimum")
        field["max_value"] = _number(raw.get("max_value"), f"{where} maximum")
        if None not in (field["min_value"], field["max_value"]) and field["min_value"] > field["max_value"]:
            raise FieldSchemaError(f"{where}: the minimum is above the maximum")
    elif kind == FieldKind.DATE:
        rule = raw.get("date_rule") or ""
        if rule not in DATE_RULES:
            raise FieldSchemaError(f"{where}: unknown date rule {rule!r}")
        field["date_rule"] = rule
    elif kind in CHOICE_KINDS:
        field["choices"] = _choices(raw.get("choices"), where)
        if kind == FieldKind.SINGLE_CHOICE:
            field["flag_at"] = _whole(raw.get("flag_at"), f"{where} flag score", -1000, 1000)
    elif kind == FieldKind.SIGNATURE:
        try:
            field["signer"] = str(Signer(raw.get("signer")))
        except ValueError:
            raise FieldSchemaError(f"{where}: a signature block needs a signer (client, representative or staff)") from None
    return field


def check_fields(raw: Any) -> list[dict[str, Any]]:
    """A whole field list, normalized; keys unique; at most 200 fields."""
    if not isinstance(raw, list) or len(raw) > 200:
        raise FieldSchemaError("expected a list of at most 200 fields")
    fields = [check_field(item, f"field {n}") for n, item in enumerate(raw, 1)]
    keys = [f["key"] for f in fields]
    if len(set(keys)) != len(keys):
        raise FieldSchemaError("two fields share a key")
    return fields


def check_bands(raw: Any) -> list[dict[str, Any]]:
    """Severity bands of a score: [{"min": 0, "max": 4, "label": {"en", "es"}}], in order, not overlapping."""
    if raw in (None, []):
        return []
    if not isinstance(raw, list) or len(raw) > 20:
        raise FieldSchemaError("severity bands: expected a list of at most 20 bands")
    bands, previous_max = [], None
    for n, band in enumerate(raw, 1):
        if not isinstance(band, dict):
            raise FieldSchemaError(f"severity band {n}: expected from, to and a label")
        low = _whole(band.get("min"), f"severity band {n} from", -100_000, 100_000)
        high = _whole(band.get("max"), f"severity band {n} to", -100_000, 100_000)
        if low is None or high is None or low > high:
            raise FieldSchemaError(f"severity band {n}: 'from' must be a number no greater than 'to'")
        if previous_max is not None and low <= previous_max:
            raise FieldSchemaError(f"severity band {n}: it overlaps the band before it")
        previous_max = high
        bands.append({"min": low, "max": high, "label": _bilingual(band.get("label"), f"severity band {n}",
                                                                    required=True)})
    return bands


def next_key(fields: list[dict[str, Any]]) -> str:
    """A key no field of the list uses yet: f1, f2, ..."""
    used = {f["key"] for f in fields}
    n = len(fields) + 1
    while f"f{n}" in used:
        n += 1
    return f"f{n}"


def scored(fields: list[dict[str, Any]]) -> bool:
    """Whether any choice carries a score (a screening questionnaire)."""
    return any(c.get("score") is not None for f in fields for c in f.get("choices", []))
