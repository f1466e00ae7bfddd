"""The relationships staff choose for a representative, and their names in the reader's language.

A representative's relationship is stored as the English word of one of these choices ("mother"), or as
the words staff typed under "other" ("aunt"); a stored word that is one of the choices, old free text
included, reads in the page's language; anything else reads as it was typed.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

OTHER = "other"
RELATIONSHIPS = {
    "mother": _l("mother"),
    "father": _l("father"),
    "guardian": _l("guardian"),
    "grandparent": _l("grandparent"),
    "foster parent": _l("foster parent"),
    "spouse or partner": _l("spouse or partner"),
    "legal representative": _l("legal representative"),
    "case worker": _l("case worker"),
}
_SYNONYMS = {"spouse/partner": "spouse or partner", "spouse": "spouse or partner", "partner": "spouse or partner",
             "legal guardian": "guardian", "grandmother": "grandparent", "grandfather": "grandparent"}
REPRESENTATIVE = _l("representative")


def relationship_key(label: str | None) -> str | None:
    """The choice a stored label stands for ("Mother " -> "mother"), or None for other words."""
    word = " ".join((label or "").split()).lower()
    word = _SYNONYMS.get(word, word)
    return word if word in RELATIONSHIPS else None


def relationship_name(label: str | None) -> str:
    """Jinja filter: the relationship in the reader's language ("madre"); other words as typed; "" -> representative."""
    if not (label or "").strip() or label == "representative":
        return str(REPRESENTATIVE)
    key = relationship_key(label)
    return str(RELATIONSHIPS[key]) if key else label.strip()
