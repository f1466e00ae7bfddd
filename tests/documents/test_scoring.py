"""Scoring of screening questionnaires: PHQ-9 and GAD-7 totals, severity bands at every boundary, item 9."""
from __future__ import annotations

from datetime import date

import pytest

from portal_app.documents.answers import validate_answers
from portal_app.documents.fields import check_bands, check_fields
from portal_app.documents.scoring import score_answers
from portal_app.documents.screening import GAD7_BANDS, GAD7_FIELDS, PHQ9_BANDS, PHQ9_FIELDS

PHQ9 = check_fields(PHQ9_FIELDS)
GAD7 = check_fields(GAD7_FIELDS)


def answers(prefix: str, scores: list[int]) -> dict[str, str]:
    return {f"{prefix}_{n}": str(score) for n, score in enumerate(scores, 1)}


def phq9_total(total: int, item9: int = 0) -> dict[str, str]:
    """Eight items adding up to total - item9, then item 9."""
    rest, scores = total - item9, []
    for _ in range(8):
        scores.append(min(3, rest))
        rest -= scores[-1]
    assert rest == 0
    return answers("phq9", [*scores, item9])


@pytest.mark.parametrize(("total", "band"), [
    (0, "Minimal depression"), (4, "Minimal depression"), (5, "Mild depression"), (9, "Mild depression"),
    (10, "Moderate depression"), (14, "Moderate depression"), (15, "Moderately severe depression"),
    (19, "Moderately severe depression"), (20, "Severe depression"), (24, "Severe depression"),
])
def test_phq9_bands_at_each_boundary(total, band):
    result = score_answers(PHQ9, PHQ9_BANDS, phq9_total(total))
    assert result.total == total and result.band_label("en") == band and result.complete
    assert not result.flags


def test_phq9_maximum_is_27_severe_and_item_9_is_flagged():
    result = score_answers(PHQ9, PHQ9_BANDS, answers("phq9", [3] * 9))
    assert result.total == 27 and result.band_label("es") == "Depresión grave"
    assert [f.key for f in result.flags] == ["phq9_9"]


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_any_answer_above_not_at_all_on_item_9_is_flagged_even_when_the_total_is_minimal(item9):
    result = score_answers(PHQ9, PHQ9_BANDS, phq9_total(item9, item9=item9))
    assert result.band_label() == "Minimal depression"
    assert [(f.key, f.score) for f in result.flags] == [("phq9_9", item9)]
    assert result.flags[0].label["es"].startswith("9. Pensamientos de que estaría mejor muerto(a)")


@pytest.mark.parametrize(("scores", "total", "band"), [
    ([0] * 7, 0, "Minimal anxiety"), ([1, 1, 1, 1, 0, 0, 0], 4, "Minimal anxiety"),
    ([1, 1, 1, 1, 1, 0, 0], 5, "Mild anxiety"), ([3, 3, 3, 0, 0, 0, 0], 9, "Mild anxiety"),
    ([3, 3, 3, 1, 0, 0, 0], 10, "Moderate anxiety"), ([2, 2, 2, 2, 2, 2, 2], 14, "Moderate anxiety"),
    ([3, 3, 3, 3, 3, 0, 0], 15, "Severe anxiety"), ([3] * 7, 21, "Severe anxiety"),
])
def test_gad7_bands(scores, total, band):
    result = score_answers(GAD7, GAD7_BANDS, answers("gad7", scores))
    assert (result.total, result.band_label()) == (total, band)
    assert not result.flags


def test_the_difficulty_question_is_not_scored_and_a_partial_total_says_so():
    result = score_answers(PHQ9, PHQ9_BANDS, {"phq9_1": "2", "phq9_difficulty": "4"})
    assert result.total == 2 and result.answered == 1 and result.scored_items == 9 and not result.complete


def test_a_form_without_scores_has_no_score():
    fields = check_fields([{"key": "a", "kind": "yes_no", "label": {"en": "A", "es": "A"}}])
    assert score_answers(fields, [], {"a": "yes"}) is None


def test_multiple_choice_scores_add_up_and_a_total_outside_every_band_has_none():
    fields = check_fields([{"key": "m", "kind": "multiple_choice", "label": {"en": "M", "es": "M"},
                            "choices": [{"value": "x", "label": {"en": "X", "es": "X"}, "score": 2},
                                        {"value": "y", "label": {"en": "Y", "es": "Y"}, "score": 5}]}])
    bands = check_bands([{"min": 0, "max": 3, "label": {"en": "Low", "es": "Bajo"}}])
    result = score_answers(fields, bands, {"m": ["x", "y"]})
    assert result.total == 7 and result.band is None and result.band_label() == ""


def test_scores_come_from_validated_answers_in_either_language():
    submitted = answers("gad7", [2] * 7)
    for lang in ("en", "es"):
        check = validate_answers(GAD7, submitted, lang, today=date(2026, 11, 27))
        assert check.ok
        assert score_answers(GAD7, GAD7_BANDS, check.values).band_label(lang) in ("Moderate anxiety",
                                                                                   "Ansiedad moderada")


def test_the_questionnaires_keep_the_standard_wording():
    assert PHQ9[1]["label"]["en"] == "1. Little interest or pleasure in doing things"
    assert PHQ9[1]["label"]["es"] == "1. Poco interés o placer en hacer cosas"
    assert [c["label"]["es"] for c in PHQ9[1]["choices"]] == [
        "Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos los días"]
    assert [c["score"] for c in GAD7[1]["choices"]] == [0, 1, 2, 3]
    assert GAD7[1]["label"]["en"] == "1. Feeling nervous, anxious, or on edge"
    assert len([f for f in PHQ9 if f["kind"] == "single_choice"]) == 10  # 9 items + difficulty
    assert check_bands(PHQ9_BANDS)[-1]["max"] == 27 and check_bands(GAD7_BANDS)[-1]["max"] == 21
