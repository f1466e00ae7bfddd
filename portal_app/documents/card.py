"""The plain-language card shown before signing: what this document is, who will see it, how long it lasts,
how to withdraw. Each template version may word it (English and Spanish); an empty part shows the default
sentence of the signing page, in the reader's language. The card is part of the version (frozen when published).
"""
from __future__ import annotations

from typing import Any

from ..plaintext import has_control_characters
from .errors import InvalidField

CARD_PARTS = {
    "what": "What this document is",
    "who": "Who will see it",
    "lasts": "How long it lasts",
    "withdraw": "How to withdraw",
}
LANGUAGES = ("en", "es")
MAX_CARD_TEXT = 1000


def check_card(raw: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Keep the parts that were written (trimmed), refusing over-long text or control characters."""
    card: dict[str, dict[str, str]] = {}
    for part, label in CARD_PARTS.items():
        for lang in LANGUAGES:
            text = " ".join(((raw.get(part) or {}).get(lang) or "").split())
            if len(text) > MAX_CARD_TEXT or has_control_characters(text):
                raise InvalidField(f"{label} ({'Spanish' if lang == 'es' else 'English'}): use at most "
                                   f"{MAX_CARD_TEXT:,} characters of plain text.", field=f"card_{part}_{lang}")
            if text:
                card.setdefault(part, {})[lang] = text
    return card


def card_texts(version: Any, lang: str) -> dict[str, str]:
    """The version's own wording of each part in `lang` ("" where it has none: the page shows its default)."""
    card = getattr(version, "card", None) or {}
    return {part: (card.get(part) or {}).get(lang, "") for part in CARD_PARTS}
