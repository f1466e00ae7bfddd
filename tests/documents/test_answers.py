"""validate_answers: every kind of field and every rule, with the error in the person's language (pure)."""
from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from portal_app.documents.answers import form_values, validate_answers
from portal_app.documents.fields import check_fields

TODAY = date(2026, 11, 27)


def bi(en: str, es: str | None = None) -> dict:
    return {"en": en, "es": es or f"{en} (es)"}


FIELDS = check_fields([
    {"key": "title", "kind": "heading", "label": bi("About you")},
    {"key": "note", "kind": "static_text", "label": bi("Read this.")},
    {"key": "name", "kind": "short_text", "label": bi("Name"), "required": True, "min_length": 2, "max_length": 10},
    {"key": "story", "kind": "long_text", "label": bi("Story"), "max_length": 20},
    {"key": "people", "kind": "number", "label": bi("People"), "min_value": 1, "max_value": 30},
    {"key": "born", "kind": "date", "label": bi("Born"), "date_rule": "past"},
    {"key": "ends", "kind": "date", "label": bi("Ends"), "date_rule": "future"},
    {"key": "any_day", "kind": "date", "label": bi("Any day")},
    {"key": "safe", "kind": "yes_no", "label": bi("Safe?"), "required": True},
    {"key": "lang", "kind": "single_choice", "label": bi("Language"), "required": True,
     "choices": [{"value": "en", "label": bi("English")}, {"value": "es", "label": bi("Spanish")}]},
    {"key": "needs", "kind": "multiple_choice", "label": bi("Needs"), "required": True,
     "choices": [{"value": "a", "label": bi("Food")}, {"value": "b", "label": bi("Housing")},
                 {"value": "c", "label": bi("Work")}]},
    {"key": "sign", "kind": "signature", "label": bi("Signature"), "signer": "client"},
])
GOOD = {"name": "Ana", "story": "Line one\r\nLine two", "people": "3", "born": "1990-04-17", "ends": "2027-01-01",
        "any_day": "2026-11-27", "safe": "yes", "lang": "es", "needs": ["b", "a"]}


def check(language: str = "en", **changes):
    return validate_answers(FIELDS, {**GOOD, **changes}, language, today=TODAY)


def test_good_answers_are_cleaned_and_only_answerable_fields_kept():
    result = check()
    assert result.ok, result.errors
    assert result.values == {"name": "Ana", "story": "Line one\nLine two", "people": "3", "born": "1990-04-17",
                             "ends": "2027-01-01", "any_day": "2026-11-27", "safe": "yes", "lang": "es",
                             "needs": ["a", "b"]}  # the template's order, whatever order they came in


def test_a_multidict_from_a_real_form_works_the_same():
    form = MultiDict([*((k, v) for k, v in GOOD.items() if k != "needs"), ("needs", "c"), ("needs", "a"),
                      ("unknown", "ignored")])
    result = validate_answers(FIELDS, form, "en", today=TODAY)
    assert result.ok and result.values["needs"] == ["a", "c"] and "unknown" not in result.values


@pytest.mark.parametrize(("changes", "key", "english", "spanish"), [
    ({"name": "  "}, "name", "Answer this question.", "Responda esta pregunta."),
    ({"name": "A"}, "name", "Enter at least 2 characters.", "Escriba al menos 2 caracteres."),
    ({"name": "A" * 11}, "name", "Use at most 10 characters.", "Use como máximo 10 caracteres."),
    ({"name": "An\x00a"}, "name", "Remove the invisible control characters from this text.",
     "Quite los caracteres de control invisibles de este texto."),
    ({"story": "x" * 21}, "story", "Use at most 20 characters.", "Use como máximo 20 caracteres."),
    ({"people": "three"}, "people", "Enter a number, like 12 or 3.5.", "Escriba un número, como 12 o 3.5."),
    ({"people": "1e9"}, "people", "Enter a number, like 12 or 3.5.", "Escriba un número, como 12 o 3.5."),
    ({"people": "0"}, "people", "Enter a number of at least 1.", "Escriba un número igual o mayor que 1."),
    ({"people": "30.5"}, "people", "Enter a number no greater than 30.", "Escriba un número igual o menor que 30."),
    ({"born": "17/04/1990"}, "born", "Enter a date like 2026-03-31 (year, month, day).",
     "Escriba una fecha como 2026-03-31 (año, mes, día)."),
    ({"born": "2026-02-30"}, "born", "Enter a date like 2026-03-31 (year, month, day).",
     "Escriba una fecha como 2026-03-31 (año, mes, día)."),
    ({"any_day": "0001-01-01"}, "any_day", "Enter a date like 2026-03-31 (year, month, day).",
     "Escriba una fecha como 2026-03-31 (año, mes, día)."),
    ({"born": "2026-11-27"}, "born", "Enter a date before today.", "Escriba una fecha anterior a hoy."),
    ({"ends": "2026-11-27"}, "ends", "Enter a date after today.", "Escriba una fecha posterior a hoy."),
    ({"safe": ""}, "safe", "Choose Yes or No.", "Elija Sí o No."),
    ({"safe": "maybe"}, "safe", "Choose Yes or No.", "Elija Sí o No."),
    ({"lang": ""}, "lang", "Choose an answer.", "Elija una respuesta."),
    ({"lang": "fr"}, "lang", "Choose one of the answers listed.", "Elija una de las respuestas de la lista."),
    ({"needs": []}, "needs", "Choose at least one answer.", "Elija al menos una respuesta."),
    ({"needs": ["a", "zzz"]}, "needs", "Choose one of the answers listed.",
     "Elija una de las respuestas de la lista."),
])
def test_each_rule_names_its_field_in_english_and_spanish(changes, key, english, spanish):
    assert check("en", **changes).errors == {key: english}
    assert check("es", **changes).errors == {key: spanish}


def test_optional_fields_may_stay_empty_and_the_past_and_future_rules_are_strict():
    result = check(story="", people="", born="", ends="", any_day="")
    assert result.ok and result.values["people"] == "" and result.values["born"] == ""
    assert check(born="2026-11-26").ok and check(ends="2026-11-28").ok


def test_numbers_accept_a_decimal_comma_and_are_normalized():
    assert check(people="2,50").values["people"] == "2.5"
    assert check(people=" 007 ").values["people"] == "7"


def test_every_wrong_field_is_reported_at_once():
    errors = validate_answers(FIELDS, {}, "es", today=TODAY).errors
    assert set(errors) == {"name", "safe", "lang", "needs"}


def test_display_fields_and_signature_blocks_take_no_answer():
    result = check(title="x", note="y", sign="Ana Delgado")
    assert result.ok and not {"title", "note", "sign"} & set(result.values)


def test_huge_input_is_refused_not_kept():
    result = check(story="x" * 1_000_000)
    assert result.errors == {"story": "Use at most 20 characters."}


def test_form_values_keep_what_was_typed_to_show_it_again():
    typed = form_values(FIELDS, MultiDict([("name", " A "), ("needs", "zzz")]))
    assert typed["name"] == " A " and typed["needs"] == ["zzz"] and "title" not in typed
