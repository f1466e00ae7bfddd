"""Account Administration › Forms: a template's details, a draft's settings, one field's properties."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Optional, ValidationError

from forms.fields import PlainText, VersionedForm, strip_text
from forms.fields import max_length as length_limit
from forms.staff.document_card import CardFields
from portal_app.documents.fields import (
    DATE_RULES,
    SIGNER_LABELS,
    TEXT_LIMITS,
    FieldKind,
)
from portal_app.documents.models import CATEGORY_LABELS, FLAG_LABELS

BIG = 10**12


class TemplateDetailsForm(FlaskForm):
    name = StringField("Name (English)", filters=[strip_text],
                       validators=[DataRequired("Enter the form's name."), length_limit(200), PlainText()])
    name_es = StringField("Name (Spanish)", filters=[strip_text],
                          validators=[DataRequired("Enter the form's name in Spanish."), length_limit(200), PlainText()])
    description = TextAreaField("Description (English)", filters=[strip_text],
                                validators=[length_limit(2000), PlainText(multiline=True)])
    description_es = TextAreaField("Description (Spanish)", filters=[strip_text],
                                   validators=[length_limit(2000), PlainText(multiline=True)])
    category = SelectField("Category", choices=[SelectChoice(str(k), v) for k, v in CATEGORY_LABELS.items()],
                           validate_choice=True)

    def details(self) -> dict[str, str]:
        return {name: self[name].data or "" for name in ("name", "name_es", "description", "description_es",
                                                          "category")}


class TemplateEditForm(TemplateDetailsForm, VersionedForm):
    """The details of an existing template, with the version it was loaded at (409 when stale)."""


class DraftActionForm(VersionedForm):
    """A one-button POST on the draft (publish, remove a field), carrying the draft's version."""


class FieldMoveForm(VersionedForm):
    direction = HiddenField(validators=[AnyOf(("up", "down"), message="Move a field up or down.")])


class ArchiveForm(FlaskForm):
    archived = HiddenField(validators=[AnyOf(("0", "1"), message="Choose archive or unarchive.")])


def _whole(text: str, low: int, high: int) -> int:
    try:
        number = int(text)
    except (TypeError, ValueError):
        raise ValidationError("Enter a whole number.") from None
    if not low <= number <= high:
        raise ValidationError(f"Enter a whole number from {low:,} to {high:,}.")
    return number


def _decimal(text: str) -> int | float:
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValidationError("Enter a number, like 12 or 3.5.") from None
    if not number.is_finite() or abs(number) > BIG:
        raise ValidationError("Enter a number between -1,000,000,000,000 and 1,000,000,000,000.")
    return int(number) if number == number.to_integral_value() else float(number)


class SettingsForm(CardFields, VersionedForm):
    """A draft's flags, the severity bands of its score and the plain-language card before signing."""

    fillable_portal = BooleanField(FLAG_LABELS["fillable_portal"])
    fillable_kiosk = BooleanField(FLAG_LABELS["fillable_kiosk"])
    portal_assessment = BooleanField(FLAG_LABELS["portal_assessment"])
    representative_may_sign = BooleanField(FLAG_LABELS["representative_may_sign"])
    countersignature_required = BooleanField(FLAG_LABELS["countersignature_required"])
    paper_only = BooleanField(FLAG_LABELS["paper_only"])
    bands = TextAreaField("Severity bands", filters=[strip_text],
                          validators=[length_limit(2000), PlainText(multiline=True)])

    def validate_bands(self, field: Any) -> None:
        self.parsed_bands = parse_bands(field.data or "")

    def flags(self) -> dict[str, bool]:
        return {name: bool(self[name].data) for name in FLAG_LABELS}


def parse_bands(text: str) -> list[dict]:
    """Lines "0-4 | Minimal | Mínima" -> bands; a ValidationError names the line."""
    bands = []
    for n, line in enumerate((ln for ln in text.splitlines() if ln.strip()), 1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or "-" not in parts[0][1:]:
            raise ValidationError(f"Line {n}: write it as \u201c0-4 | Minimal | Mínima\u201d (range | English | Spanish).")
        low_text, high_text = parts[0][0] + parts[0][1:].split("-", 1)[0], parts[0][1:].split("-", 1)[1]
        low, high = _whole(low_text.strip(), -100_000, 100_000), _whole(high_text.strip(), -100_000, 100_000)
        if not (parts[1] and parts[2]):
            raise ValidationError(f"Line {n}: give the band's name in English and in Spanish.")
        bands.append({"min": low, "max": high, "label": {"en": parts[1][:200], "es": parts[2][:200]}})
    return bands


def bands_text(bands: list[dict]) -> str:
    return "\n".join(f"{b['min']}-{b['max']} | {b['label']['en']} | {b['label']['es']}" for b in bands)


def choices_text(choices: list[dict]) -> str:
    return "\n".join(" | ".join([c["label"]["en"], c["label"]["es"]]
                                + ([str(c["score"])] if c.get("score") is not None else [])) for c in choices)


class FieldForm(VersionedForm):
    """One field's properties; which ones apply depends on its kind (the others are ignored)."""

    label_en = TextAreaField("Label or text (English)", filters=[strip_text],
                             validators=[DataRequired("Enter the label in English."), length_limit(2000),
                                         PlainText(multiline=True)])
    label_es = TextAreaField("Label or text (Spanish)", filters=[strip_text],
                             validators=[DataRequired("Enter the label in Spanish."), length_limit(2000),
                                         PlainText(multiline=True)])
    help_en = StringField("Help text (English)", filters=[strip_text], validators=[length_limit(500), PlainText()])
    help_es = StringField("Help text (Spanish)", filters=[strip_text], validators=[length_limit(500), PlainText()])
    required = BooleanField("An answer is required")
    min_length = StringField("Minimum length (characters)", filters=[strip_text], validators=[Optional()])
    max_length = StringField("Maximum length (characters)", filters=[strip_text], validators=[Optional()])
    min_value = StringField("Smallest number allowed", filters=[strip_text], validators=[Optional()])
    max_value = StringField("Largest number allowed", filters=[strip_text], validators=[Optional()])
    date_rule = SelectField("Date rule", choices=[SelectChoice(k, v) for k, v in DATE_RULES.items()], validate_choice=True)
    choices = TextAreaField("Answers, one a line: English | Spanish | score (optional)", filters=[strip_text],
                            validators=[length_limit(10_000), PlainText(multiline=True)])
    flag_at = StringField("Flag the answer when its score is at least", filters=[strip_text], validators=[Optional()])
    signer = SelectField("Who signs here", choices=[SelectChoice(str(k), v) for k, v in SIGNER_LABELS.items()],
                         validate_choice=True)

    def __init__(self, *args: Any, kind: FieldKind, existing: dict | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.existing = existing or {}
        self.parsed: dict[str, Any] = {}

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        for name in ("help_en", "help_es", "required", "date_rule", "signer"):
            if not self._applies(name.removesuffix("_en").removesuffix("_es")):
                self[name].errors = []  # a property this kind has not: its input is ignored
        ok = not any(f.errors for f in self)
        checks = {"min_length": self._length, "max_length": self._length, "min_value": self._value,
                  "max_value": self._value, "choices": self._choices, "flag_at": self._flag}
        for name, check in checks.items():
            if not self._applies(name):
                continue
            try:
                self.parsed[name] = check(self[name].data or "", name)
            except ValidationError as err:
                self[name].errors = [*self[name].errors, str(err)]
                ok = False
        return ok

    def _applies(self, name: str) -> bool:
        kind = self.kind
        return {
            "min_length": kind in (FieldKind.SHORT_TEXT, FieldKind.LONG_TEXT),
            "max_length": kind in (FieldKind.SHORT_TEXT, FieldKind.LONG_TEXT),
            "min_value": kind == FieldKind.NUMBER, "max_value": kind == FieldKind.NUMBER,
            "date_rule": kind == FieldKind.DATE,
            "choices": kind in (FieldKind.SINGLE_CHOICE, FieldKind.MULTIPLE_CHOICE),
            "flag_at": kind == FieldKind.SINGLE_CHOICE,
            "signer": kind == FieldKind.SIGNATURE,
            "required": kind not in (FieldKind.HEADING, FieldKind.STATIC_TEXT, FieldKind.SIGNATURE),
            "help": kind not in (FieldKind.HEADING, FieldKind.STATIC_TEXT),
        }.get(name, True)

    def _length(self, text: str, name: str) -> int | None:
        return _whole(text, 1, TEXT_LIMITS[self.kind]) if text else None

    def _value(self, text: str, name: str) -> int | float | None:
        return _decimal(text) if text else None

    def _flag(self, text: str, name: str) -> int | None:
        return _whole(text, -1000, 1000) if text else None

    def _choices(self, text: str, name: str) -> list[dict]:
        """Lines "English | Spanish | score": an answer keeps its stored value when its English label stays."""
        known = {c["label"]["en"]: c["value"] for c in self.existing.get("choices", [])}
        used = set(known.values())
        choices, seen = [], set()
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if not 1 <= len(lines) <= 50:
            raise ValidationError("Give from 1 to 50 answers, one a line.")
        for n, line in enumerate(lines, 1):
            parts = [p.strip() for p in line.split("|")]
            if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
                raise ValidationError(f"Line {n}: write it as \u201cEnglish | Spanish\u201d or "
                                      "\u201cEnglish | Spanish | score\u201d.")
            if parts[0].lower() in seen:
                raise ValidationError(f"Line {n}: this answer is listed twice.")
            seen.add(parts[0].lower())
            score = _whole(parts[2], -1000, 1000) if len(parts) == 3 and parts[2] else None
            value = known.get(parts[0])
            if value is None:
                value = next(str(i) for i in range(1, 200) if str(i) not in used)
            used.add(value)
            choices.append({"value": value, "label": {"en": parts[0][:2000], "es": parts[1][:2000]}, "score": score})
        return choices

    def field_data(self) -> dict[str, Any]:
        """The raw field the services check (fields.check_field) and store."""
        data: dict[str, Any] = {"kind": str(self.kind),
                                "label": {"en": self.label_en.data, "es": self.label_es.data}}
        if self._applies("help"):
            data["help"] = {"en": self.help_en.data or "", "es": self.help_es.data or ""}
        if self._applies("required"):
            data["required"] = bool(self.required.data)
        for name in ("min_length", "max_length", "min_value", "max_value", "choices", "flag_at"):
            if self._applies(name):
                data[name] = self.parsed.get(name)
        if self._applies("date_rule"):
            data["date_rule"] = self.date_rule.data
        if self._applies("signer"):
            data["signer"] = self.signer.data
        return data

    def load(self, field: dict[str, Any]) -> None:
        """Fill the form from a stored field (GET)."""
        self.label_en.data, self.label_es.data = field["label"]["en"], field["label"]["es"]
        self.help_en.data, self.help_es.data = field["help"]["en"], field["help"]["es"]
        self.required.data = field["required"]
        for name in ("min_length", "max_length", "min_value", "max_value", "flag_at"):
            self[name].data = "" if field.get(name) is None else str(field[name])
        self.date_rule.data = field.get("date_rule") or ""
        self.choices.data = choices_text(field.get("choices") or [])
        self.signer.data = field.get("signer") or "client"
