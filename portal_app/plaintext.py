"""Plain text from people: the one check for invisible control characters (a NUL byte also breaks PostgreSQL).

Forms use it through `forms.fields.PlainText`; services check again with the same function, so a
caller that skips the form (CLI, tests, another site) meets the same rule.
"""
from __future__ import annotations

import unicodedata

CONTROL_CHARACTERS_MESSAGE = "Remove the invisible control characters from this text."


def has_control_characters(text: str, *, multiline: bool = False, tabs: bool = True) -> bool:
    """Whether `text` holds a control character other than a tab (unless `tabs` is False) and, when
    `multiline`, a line break."""
    allowed = ("\r\n" if multiline else "") + ("\t" if tabs else "")
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def without_control_characters(text: str) -> str:
    """`text` with every control character removed (for search words, where refusing helps nobody)."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")
