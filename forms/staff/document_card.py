"""The plain-language card before signing, per form version (English and Spanish); empty: the default."""
from __future__ import annotations

from typing import Any

from wtforms import TextAreaField

from forms.fields import PlainText, strip_text
from forms.fields import max_length as length_limit
from portal_app.documents.card import CARD_PARTS, LANGUAGES, MAX_CARD_TEXT


class CardFields:
    """Mixed into the version settings form: card_<part>_<lang> text areas (see card_fields below)."""

    def card(self) -> dict[str, dict[str, str]]:
        return {part: {lang: self[f"card_{part}_{lang}"].data or "" for lang in LANGUAGES} for part in CARD_PARTS}

    @staticmethod
    def card_data(version: Any) -> dict[str, str]:
        """The form's initial values from a version's card."""
        card = version.card or {}
        return {f"card_{part}_{lang}": (card.get(part) or {}).get(lang, "") for part in CARD_PARTS
                for lang in LANGUAGES}


for _part, _label in CARD_PARTS.items():
    for _lang, _language in (("en", "English"), ("es", "Spanish")):
        setattr(CardFields, f"card_{_part}_{_lang}", TextAreaField(
            f"{_label} ({_language})", filters=[strip_text],
            validators=[length_limit(MAX_CARD_TEXT), PlainText(multiline=True)], render_kw={"rows": 2}))
