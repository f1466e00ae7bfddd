"""Folding of names, emails and phone numbers for search and sorting (pure functions, no database)."""
from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not take apart.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
_WORD_SPLIT = re.compile(r"[\s\-‐‑–—/,;:]+")
_NOT_WORD = re.compile(r"[^a-z0-9]")
_NOT_EMAIL = re.compile(r"[^a-z0-9@._+\-]")
MAX_TERM = 120  # the column's length; longer words are cut (a prefix still matches)
PHONE_TAILS = (10, 7, 4)


def fold(text: str) -> str:
    """Lower case without accents: "Núñez" -> "nunez", "Østergaard" -> "ostergaard", "Straße" -> "strasse"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold().translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_FOLD)


def name_words(text: str) -> list[str]:
    """The folded words of a name; apostrophes and dots vanish ("O'Connell" -> "oconnell")."""
    words = (_NOT_WORD.sub("", w) for w in _WORD_SPLIT.split(fold(text)))
    return [w[:MAX_TERM] for w in words if w]


def digits(text: str) -> str:
    """Only the digits: "(541) 555-0101" -> "5415550101"."""
    return re.sub(r"\D", "", text or "")


def sort_key(first: str, middle: str, last: str) -> str:
    """The list's order: last, first, middle names folded ("alvarez ruiz roberto")."""
    return " ".join(name_words(last) + name_words(first) + name_words(middle))[:300]


def client_terms(first: str, middle: str, last: str, email: str, phone: str) -> set[str]:
    """Everything a search word may be the beginning of."""
    terms = set(name_words(first) + name_words(middle) + name_words(last))
    mail = _NOT_EMAIL.sub("", fold(email or ""))
    if mail:
        terms.add(mail[:MAX_TERM])
    number = digits(phone)
    if number:
        terms.add(number[:MAX_TERM])
        terms.update(number[-n:] for n in PHONE_TAILS if len(number) > n)
    return terms


def query_words(q: str, max_words: int) -> list[list[str]]:
    """The search box's words folded as the terms are, each a list of alternatives (any may match).

    An email stays whole, a phone number becomes its digits, a hyphenated name gives one word per
    part; a word with email punctuation ("ana_g") may also be the start of an email. A word that
    folds to nothing ("%") gives an empty list of alternatives: it matches nobody.
    """
    groups: list[list[str]] = []
    for raw in q.split():
        mail = _NOT_EMAIL.sub("", fold(raw))[:MAX_TERM]
        if "@" in raw:
            groups.append([mail] if mail else [])
        elif len(digits(raw)) >= 3 and not re.search(r"[^\d()+\-.]", raw):
            groups.append([digits(raw)[:MAX_TERM]])
        else:
            words = name_words(raw)
            if len(words) > 1:
                groups += [[w] for w in words]
            else:
                groups.append(sorted({*words, mail} - {""}))
    return groups[:max_words]
