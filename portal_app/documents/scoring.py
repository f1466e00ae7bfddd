"""Scores of screening questionnaires (PHQ-9, GAD-7 ...): a pure function of fields, bands and answers.

Each choice may carry a score; the total adds the score of every chosen answer; the severity band is
the one whose range holds the total; a single-choice item with `flag_at` is flagged when its chosen
answer scores at least that much (PHQ-9 item 9: any answer above "Not at all").
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .fields import FieldKind, text_in


@dataclass(frozen=True)
class Flag:
    key: str
    label: dict[str, str]
    score: int


@dataclass(frozen=True)
class ScoreResult:
    """The total, the band it falls in (None: no band holds it), flagged items, and whether every
    scored item was answered (a partial total is shown as such)."""

    total: int
    band: dict[str, Any] | None
    flags: tuple[Flag, ...] = field(default_factory=tuple)
    answered: int = 0
    scored_items: int = 0

    @property
    def complete(self) -> bool:
        return self.answered == self.scored_items

    def band_label(self, lang: str = "en") -> str:
        return text_in(self.band["label"], lang) if self.band else ""


def _choice_scores(f: dict) -> dict[str, int]:
    return {c["value"]: c["score"] for c in f["choices"] if c.get("score") is not None}


def score_answers(fields: list[dict], bands: list[dict], answers: Mapping[str, Any]) -> ScoreResult | None:
    """Score cleaned answers (see answers.validate_answers); None when no choice carries a score."""
    total = answered = items = 0
    flags: list[Flag] = []
    for f in fields:
        if f["kind"] not in (FieldKind.SINGLE_CHOICE, FieldKind.MULTIPLE_CHOICE):
            continue
        scores = _choice_scores(f)
        if not scores:
            continue
        items += 1
        chosen = answers.get(f["key"])
        values = chosen if isinstance(chosen, list) else ([chosen] if chosen not in (None, "") else [])
        points = [scores[v] for v in values if v in scores]
        if not points:
            continue
        answered += 1
        total += sum(points)
        if f.get("flag_at") is not None and sum(points) >= f["flag_at"]:
            flags.append(Flag(f["key"], f["label"], sum(points)))
    if items == 0:
        return None
    band = next((b for b in bands if b["min"] <= total <= b["max"]), None)
    return ScoreResult(total=total, band=band, flags=tuple(flags), answered=answered, scored_items=items)
