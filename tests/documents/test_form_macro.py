"""The form-fields macro (templates/_macros/form_fields.html): every kind rendered as plain, accessible HTML in
English and Spanish; every label, hint and error tied to its control. Plus: no input makes validation fail."""
from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from flask_babel import force_locale
from hypothesis import given, settings
from hypothesis import strategies as st

from portal_app.documents.answers import validate_answers
from portal_app.documents.demo import DEMO_TEMPLATES
from portal_app.documents.fields import check_fields


def bi(en: str, es: str) -> dict:
    return {"en": en, "es": es}


FIELDS = check_fields([
    {"key": "h", "kind": "heading", "label": bi("About you", "Sobre usted")},
    {"key": "t", "kind": "static_text", "label": bi("First.\n\nSecond.", "Primero.\n\nSegundo.")},
    {"key": "name", "kind": "short_text", "label": bi("Name", "Nombre"), "required": True, "max_length": 80,
     "help": bi("As on your ID.", "Como en su identificación.")},
    {"key": "story", "kind": "long_text", "label": bi("Story", "Historia")},
    {"key": "n", "kind": "number", "label": bi("People", "Personas")},
    {"key": "d", "kind": "date", "label": bi("Born", "Nacimiento"), "date_rule": "past"},
    {"key": "yn", "kind": "yes_no", "label": bi("Safe?", "¿Seguro?"), "required": True},
    {"key": "one", "kind": "single_choice", "label": bi("Language", "Idioma"),
     "choices": [{"value": "1", "label": bi("English", "Inglés")}, {"value": "2", "label": bi("Spanish", "Español")}]},
    {"key": "many", "kind": "multiple_choice", "label": bi("Needs", "Necesidades"),
     "choices": [{"value": "a", "label": bi("Food", "Comida")}, {"value": "b", "label": bi("Housing", "Vivienda")}]},
    {"key": "sig", "kind": "signature", "label": bi("Signature of the client", "Firma del cliente"), "signer": "client"},
])


class Elements(HTMLParser):
    """Every start tag with its attributes, and the ids present."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if "id" in a}


def render(app, lang: str, values=None, errors=None) -> str:
    with app.test_request_context("/portal/"), force_locale(lang):
        macro = app.jinja_env.get_template("_macros/form_fields.html").module.render_fields
        return str(macro(FIELDS, lang, values or {}, errors or {}))


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


def test_every_kind_renders_in_spanish(app):
    html = render(app, "es")
    for text in ("Sobre usted", "<p>Primero.</p><p>Segundo.</p>", "Nombre", "(obligatoria)", "Como en su identificación.",
                 "Historia", "Personas", "Nacimiento", "¿Seguro?", "> Sí</label>", "> No</label>", "Inglés", "Español",
                 "Comida", "Vivienda", "Firma del cliente", "cuando se firma el documento"):
        assert text in html, text
    for english in ("About you", "Name", "(required)", "Housing", "Signature of the client"):
        assert english not in html, english


def test_controls_are_native_and_work_without_javascript(app):
    tags = parse(render(app, "en")).tags
    kinds = {(t, a.get("type"), a.get("name")) for t, a in tags if t in ("input", "textarea")}
    assert ("input", "text", "name") in kinds and ("textarea", None, "story") in kinds
    assert ("input", "date", "d") in kinds and ("input", "radio", "yn") in kinds
    assert ("input", "radio", "one") in kinds and ("input", "checkbox", "many") in kinds
    number = next(a for t, a in tags if a.get("name") == "n")
    assert number["type"] == "text" and number["inputmode"] == "decimal"
    assert not any(t == "script" or any(k.startswith(("on", "hx-")) for k in a) for t, a in tags)
    assert not any(a.get("name") in ("h", "t", "sig") for t, a in tags)  # nothing to answer there


def test_labels_help_and_errors_are_tied_to_their_controls(app):
    errors = {key: "Wrong." for key in ("name", "story", "n", "d", "yn", "one", "many")}
    elements = parse(render(app, "en", errors=errors))
    ids = elements.ids()
    labelled = {a["for"] for t, a in elements.tags if t == "label" and "for" in a}
    for tag, attrs in elements.tags:
        if tag in ("input", "textarea"):
            assert attrs["id"] in labelled, attrs
        for ref in attrs.get("aria-describedby", "").split():
            assert ref in ids, ref
    name = next(a for t, a in elements.tags if a.get("name") == "name")
    assert name["aria-describedby"] == "q-name-hint q-name-error" and name["aria-invalid"] == "true"
    groups = {a["id"]: a for t, a in elements.tags if t == "fieldset"}
    assert set(groups) == {"q-yn", "q-one", "q-many"}
    assert all(g["aria-describedby"] == f"{gid}-error" for gid, g in groups.items())
    assert sum(1 for t, _ in elements.tags if t == "legend") == 3


def test_answers_are_shown_again(app):
    html = render(app, "en", values={"name": 'Ana "A" <b>', "one": "2", "many": ["a", "b"], "yn": "no"})
    assert 'value="Ana &#34;A&#34; &lt;b&gt;"' in html
    assert 'value="2" checked' in html and 'value="a" checked' in html and 'value="b" checked' in html
    assert 'value="no" checked' in html and 'value="yes" checked' not in html


def test_the_demo_forms_render_in_both_languages(app):
    for spec in DEMO_TEMPLATES:
        fields = check_fields(spec["fields"])
        for lang in ("en", "es"):
            with app.test_request_context("/portal/"), force_locale(lang):
                module = app.jinja_env.get_template("_macros/form_fields.html").module
                html = str(module.render_fields(fields, lang, {}, {}))
            assert fields[0]["label"][lang].split("\n")[0][:40] in html.replace("&#39;", "'")


ANSWERABLE = check_fields([spec for spec in DEMO_TEMPLATES if spec["name"] == "Intake form"][0]["fields"])
junk = st.one_of(st.text(max_size=300), st.lists(st.text(max_size=20), max_size=5), st.none(), st.integers())


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([f["key"] for f in ANSWERABLE] + ["other"]), junk), st.sampled_from(["en", "es"]))
def test_no_input_breaks_validation(submitted, lang):
    result = validate_answers(ANSWERABLE, submitted, lang, today=date(2026, 11, 27))
    assert set(result.errors) <= {f["key"] for f in ANSWERABLE}
    assert all(isinstance(m, str) and m for m in result.errors.values())
    assert not set(result.errors) & set(result.values)
