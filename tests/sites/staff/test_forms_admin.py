"""Account Administration › Forms through the real pages: list, Add New, editor, fields, publish, history,
preview in English and Spanish, archive; bad input gets a field-level message and a 4xx, never a 500."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal_app.audit import AuditEvent
from portal_app.documents import queries
from portal_app.documents import services as forms
from portal_app.documents.models import FormTemplate
from portal_app.extensions import db
from tests.conftest import csrf_token

BASE = "/staff/admin/forms"


@pytest.fixture
def signed_in(client, auth, admin):
    assert auth.login(admin).status_code == 302
    return csrf_token(client, f"{BASE}/new")


@pytest.fixture
def template(admin):
    t = forms.create_template(admin, name="Intake", name_es="Admisión", category="intake")
    draft = t.versions[0]
    forms.add_field(admin, t, draft, draft.version_id, {
        "kind": "short_text", "label": {"en": "Full name", "es": "Nombre completo"}, "required": True,
        "help": {"en": "As on your ID.", "es": "Como en su identificación."}})
    forms.add_field(admin, t, draft, draft.version_id, {
        "kind": "single_choice", "label": {"en": "Language", "es": "Idioma"}, "required": True,
        "choices": [{"value": "1", "label": {"en": "English", "es": "Inglés"}},
                    {"value": "2", "label": {"en": "Spanish", "es": "Español"}}]})
    return t


def html(resp) -> str:
    return resp.get_data(as_text=True)


def draft_version(template) -> str:
    return str(queries.draft_of(template).version_id)


def test_the_admin_finds_forms_in_account_administration(client, signed_in, template):
    assert 'href="/staff/admin/forms"' in html(client.get("/staff/account"))
    page = html(client.get(BASE))
    assert "Intake" in page and "Admisión" in page and "Not yet published" in page


def test_the_list_is_paged(client, signed_in, admin):
    for n in range(27):
        forms.create_template(admin, name=f"Form {n:02d}", name_es=f"Formulario {n:02d}", category="other")
    first, second = html(client.get(BASE)), html(client.get(f"{BASE}?page=2"))
    assert "Form 00" in first and "Form 24" in first and "Form 25" not in first and 'rel="next"' in first
    assert "Form 25" in second and "Form 26" in second and "Form 00" not in second


def test_add_new_opens_the_editor_on_draft_version_1(client, signed_in):
    resp = client.post(f"{BASE}/new", data={"csrf_token": signed_in, "name": "Consent", "name_es": "Consentimiento",
                                            "description": "", "description_es": "", "category": "consent"})
    assert resp.status_code == 302
    template = db.session.scalar(select(FormTemplate).where(FormTemplate.name == "Consent"))
    page = html(client.get(resp.headers["Location"]))
    assert "Version 1" in page and "Draft" in page and "No fields yet." in page
    assert template.category == "consent"


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "", "name_es": "x", "category": "intake"}, "Enter the form&#39;s name."),
    ({"name": "x", "name_es": "", "category": "intake"}, "Enter the form&#39;s name in Spanish."),
    ({"name": "x" * 201, "name_es": "x", "category": "intake"}, "Use at most 200 characters."),
    ({"name": "x", "name_es": "x", "category": "spaceship"}, "Not a valid choice"),
    ({"name": "Intake", "name_es": "x", "category": "intake"}, "Another form of your agency already has this name"),
])
def test_add_new_refuses_bad_input_beside_its_field(client, signed_in, template, data, message):
    resp = client.post(f"{BASE}/new", data={"csrf_token": signed_in, **data})
    assert resp.status_code == 422 and message in html(resp)
    assert db.session.scalar(select(func.count()).select_from(FormTemplate)) == 1


def test_adding_a_field_without_javascript(client, signed_in, template):
    url = f"{BASE}/{template.id}/versions/1/fields/new?kind=number"
    page = html(client.get(url))
    assert "Smallest number allowed" in page and "Date rule" not in page
    resp = client.post(url, data={"csrf_token": signed_in, "version_id": draft_version(template),
                                  "label_en": "People at home", "label_es": "Personas en el hogar",
                                  "min_value": "1", "max_value": "30", "required": "y"})
    assert resp.status_code == 302
    field = queries.draft_of(template).field("f3")
    assert (field["kind"], field["min_value"], field["max_value"], field["required"]) == ("number", 1, 30, True)


@pytest.mark.parametrize(("kind", "data", "message"), [
    ("short_text", {"label_en": "", "label_es": "x"}, "Enter the label in English."),
    ("short_text", {"label_en": "x", "label_es": ""}, "Enter the label in Spanish."),
    ("short_text", {"label_en": "x", "label_es": "x", "max_length": "9999"}, "Enter a whole number from 1 to 500."),
    ("short_text", {"label_en": "x", "label_es": "x", "min_length": "9", "max_length": "3"},
     "the minimum length is above the maximum"),
    ("number", {"label_en": "x", "label_es": "x", "min_value": "ten"}, "Enter a number, like 12 or 3.5."),
    ("number", {"label_en": "x", "label_es": "x", "max_value": "1e999"}, "Enter a number"),
    ("single_choice", {"label_en": "x", "label_es": "x", "choices": ""}, "Give from 1 to 50 answers"),
    ("single_choice", {"label_en": "x", "label_es": "x", "choices": "Only English"}, "Line 1: write it as"),
    ("single_choice", {"label_en": "x", "label_es": "x", "choices": "A | A | lots"}, "Enter a whole number."),
    ("single_choice", {"label_en": "x", "label_es": "x", "choices": "A | A\na | b"}, "Line 2: this answer is listed twice."),
    ("date", {"label_en": "x", "label_es": "x", "date_rule": "yesterday"}, "Not a valid choice"),
    ("signature", {"label_en": "x", "label_es": "x", "signer": "notary"}, "Not a valid choice"),
])
def test_field_editor_refuses_bad_input_beside_its_field(client, signed_in, template, kind, data, message):
    resp = client.post(f"{BASE}/{template.id}/versions/1/fields/new?kind={kind}",
                       data={"csrf_token": signed_in, "version_id": draft_version(template), **data})
    assert resp.status_code == 422, html(resp)[-2000:]
    assert message in html(resp).replace("&#39;", "'")
    assert len(queries.draft_of(template).fields) == 2


def test_an_unknown_kind_or_field_is_a_4xx(client, signed_in, template):
    assert client.get(f"{BASE}/{template.id}/versions/1/fields/new?kind=spaceship").status_code == 400
    assert client.get(f"{BASE}/{template.id}/versions/1/fields/zz").status_code == 404
    assert client.get(f"{BASE}/{template.id}/versions/9/settings").status_code == 404


def test_editing_a_field_keeps_its_answer_values(client, signed_in, template):
    url = f"{BASE}/{template.id}/versions/1/fields/f2"
    page = html(client.get(url))
    assert "English | Inglés" in page
    resp = client.post(url, data={"csrf_token": signed_in, "version_id": draft_version(template),
                                  "label_en": "Preferred language", "label_es": "Idioma preferido",
                                  "choices": "Spanish | Español\nEnglish | Inglés\nOther | Otro", "required": "y"})
    assert resp.status_code == 302
    choices = queries.draft_of(template).field("f2")["choices"]
    assert [(c["value"], c["label"]["en"]) for c in choices] == [("2", "Spanish"), ("1", "English"), ("3", "Other")]


def test_move_and_remove_work_as_plain_forms_and_with_htmx(client, signed_in, template):
    move = f"{BASE}/{template.id}/versions/1/fields/f2/move"
    resp = client.post(move, data={"csrf_token": signed_in, "version_id": draft_version(template), "direction": "up"})
    assert resp.status_code == 302 and [f["key"] for f in queries.draft_of(template).fields] == ["f2", "f1"]
    resp = client.post(f"{BASE}/{template.id}/versions/1/fields/f2/remove", headers={"HX-Request": "true"},
                       data={"csrf_token": signed_in, "version_id": draft_version(template)})
    body = html(resp)
    assert resp.status_code == 200 and body.lstrip().startswith("<section") and 'id="draft"' in body
    assert "<html" not in body and "Full name" in body and "Language" not in body
    assert resp.headers.get("Vary") and "HX-Request" in resp.headers["Vary"]


def test_a_stale_page_gets_409_and_changes_nothing(client, signed_in, template):
    stale = draft_version(template)
    client.post(f"{BASE}/{template.id}/versions/1/fields/f2/move",
                data={"csrf_token": signed_in, "version_id": stale, "direction": "up"})
    resp = client.post(f"{BASE}/{template.id}/versions/1/fields/f1/remove", data={"csrf_token": signed_in,
                                                                                   "version_id": stale})
    assert resp.status_code == 409 and "Someone else changed this form" in html(resp)
    resp = client.post(f"{BASE}/{template.id}/versions/1/fields/f1/remove", headers={"HX-Request": "true"},
                       data={"csrf_token": signed_in, "version_id": stale})
    assert resp.status_code == 409 and resp.headers["HX-Redirect"] == f"{BASE}/{template.id}#draft"
    assert "Someone else changed this form" in html(client.get(f"{BASE}/{template.id}"))  # said after the reload
    assert len(queries.draft_of(template).fields) == 2


def test_settings_say_a_paper_only_form_cannot_be_e_signed(client, signed_in, template):
    url = f"{BASE}/{template.id}/versions/1/settings"
    assert "Such a form cannot be e-signed" in html(client.get(url))
    resp = client.post(url, data={"csrf_token": signed_in, "version_id": draft_version(template),
                                  "paper_only": "y", "fillable_portal": "y"})
    assert resp.status_code == 422 and "cannot be filled on the portal" in html(resp)
    resp = client.post(url, data={"csrf_token": signed_in, "version_id": draft_version(template), "paper_only": "y",
                                  "bands": "0-4 | Low | Bajo"})
    assert resp.status_code == 302
    page = html(client.get(f"{BASE}/{template.id}"))
    assert "this form cannot be e-signed" in page
    resp = client.post(url, data={"csrf_token": signed_in, "version_id": draft_version(template), "bands": "low"})
    assert resp.status_code == 422 and "Line 1: write it as" in html(resp)


def test_publish_then_edit_makes_version_2_and_the_history_keeps_both(client, signed_in, template):
    resp = client.post(f"{BASE}/{template.id}/versions/1/publish",
                       data={"csrf_token": signed_in, "version_id": draft_version(template)})
    assert resp.status_code == 302 and template.current_number == 1
    page = html(client.get(f"{BASE}/{template.id}"))
    assert "Version 1, published" in page and "Edit fields and settings" in page
    assert client.post(f"{BASE}/{template.id}/versions/1/fields/f1/remove",
                       data={"csrf_token": signed_in, "version_id": "2"}).status_code == 409
    assert client.post(f"{BASE}/{template.id}/draft", data={"csrf_token": signed_in}).status_code == 302
    assert client.post(f"{BASE}/{template.id}/draft", data={"csrf_token": signed_in}).status_code == 409
    history = html(client.get(f"{BASE}/{template.id}/versions"))
    assert re.search(r"<th scope=\"row\">2 <span class=\"badge\">Draft", history)
    assert re.search(r"<th scope=\"row\">1 <span class=\"badge badge-ok\">Current", history)
    assert "Full name" in html(client.get(f"{BASE}/{template.id}/versions/1/preview"))


def test_publishing_a_draft_that_is_not_ready_says_why(client, signed_in, admin):
    t = forms.create_template(admin, name="Empty", name_es="Vacío", category="other")
    resp = client.post(f"{BASE}/{t.id}/versions/1/publish", data={"csrf_token": signed_in, "version_id": "1"})
    assert resp.status_code == 422 and "Add at least one question or signature block." in html(resp)
    assert t.current_number is None


def test_preview_in_english_and_spanish(client, signed_in, template):
    english = html(client.get(f"{BASE}/{template.id}/versions/1/preview"))
    spanish = html(client.get(f"{BASE}/{template.id}/versions/1/preview?lang=es"))
    assert 'lang="en"' in english and "Full name" in english and "(required)" in english
    assert 'lang="es"' in spanish and "Nombre completo" in spanish and "(obligatoria)" in spanish
    assert "Como en su identificación." in spanish and "Revisar las respuestas" in spanish
    assert '<label for="q-f1">' in spanish and 'aria-describedby="q-f1-hint"' in spanish
    assert "Full name" not in spanish.split('class="form-preview')[1]


def test_check_answers_shows_errors_in_the_chosen_language_tied_to_their_fields(client, signed_in, template):
    url = f"{BASE}/{template.id}/versions/1/preview"
    resp = client.post(url, data={"csrf_token": signed_in, "lang": "es", "f1": "", "f2": "9"})
    body = html(resp)
    assert resp.status_code == 422
    assert '<p class="error" id="q-f1-error">Responda esta pregunta.</p>' in body
    assert 'aria-describedby="q-f1-hint q-f1-error" aria-invalid="true"' in body
    assert "Elija una de las respuestas de la lista." in body and 'href="#q-f2"' in body
    resp = client.post(url, data={"csrf_token": signed_in, "lang": "en", "f1": "Ana", "f2": "2"})
    assert resp.status_code == 200 and "Every answer is valid." in html(resp)
    assert 'value="Ana"' in html(resp)
    assert client.post(url, data={"f1": "Ana"}).status_code == 400  # no CSRF token


def test_preview_of_a_screening_questionnaire_shows_the_score_and_the_flag(client, signed_in, admin):
    from portal_app.documents.demo import DEMO_TEMPLATES

    phq9 = forms.install_template(admin, **next(s for s in DEMO_TEMPLATES if s["name"].startswith("PHQ-9")))
    answers = {f"phq9_{n}": "2" for n in range(1, 9)} | {"phq9_9": "1"}
    resp = client.post(f"{BASE}/{phq9.id}/versions/1/preview", data={"csrf_token": signed_in, "lang": "es", **answers})
    body = html(resp)
    assert resp.status_code == 200 and "Total: 17" in body and "Gravedad: Depresión moderadamente grave" in body
    assert "Señalada para seguimiento: 9. Pensamientos de que estaría mejor muerto(a)" in body
    partial = html(client.post(f"{BASE}/{phq9.id}/versions/1/preview",
                               data={"csrf_token": signed_in, "lang": "en", "phq9_1": "3"}))
    assert "Total: 3" in partial and "Severity" not in partial and "Some scored questions are not answered" in partial


def test_archive_and_unarchive(client, signed_in, template):
    resp = client.post(f"{BASE}/{template.id}/archive", data={"csrf_token": signed_in, "archived": "1"})
    assert resp.status_code == 302 and template.archived
    assert f'href="{BASE}/{template.id}"' not in html(client.get(BASE))
    assert f'href="{BASE}/{template.id}"' in html(client.get(f"{BASE}?archived=1"))
    assert client.post(f"{BASE}/{template.id}/draft", data={"csrf_token": signed_in}).status_code == 409
    assert client.post(f"{BASE}/{template.id}/archive", data={"csrf_token": signed_in, "archived": "x"}).status_code == 400
    client.post(f"{BASE}/{template.id}/archive", data={"csrf_token": signed_in, "archived": "0"})
    assert not template.archived
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "FormTemplate")))
    assert {"forms.template_archived", "forms.template_unarchived"} <= actions


def test_details_are_saved_and_a_stale_save_is_refused(client, signed_in, template):
    url = f"{BASE}/{template.id}"
    data = {"csrf_token": signed_in, "name": "Intake form", "name_es": "Admisión", "category": "intake",
            "description": "First visit", "description_es": "Primera visita"}
    assert client.post(url, data={**data, "version_id": str(template.version_id)}).status_code == 302
    assert template.name == "Intake form"
    resp = client.post(url, data={**data, "name": "Again", "version_id": "1"})
    assert resp.status_code == 409 and template.name == "Intake form"
    assert client.post(url, data={**data, "name": "", "version_id": str(template.version_id)}).status_code == 422


@pytest.mark.parametrize("role", ["supervisor", "case_manager"])
def test_only_administrators_manage_forms(client, auth, request, template, role):
    assert auth.login(request.getfixturevalue(role)).status_code == 302
    assert client.get(BASE).status_code == 403
    assert client.get(f"{BASE}/{template.id}/versions/1/preview").status_code == 403
    assert "/staff/admin/forms" not in html(client.get("/staff/account"))


def test_list_and_history_cost_the_same_few_queries_at_any_size(client, signed_in, admin, template):
    from tests.sql import count_statements

    def counts() -> tuple[int, int]:
        sizes = []
        for url in (BASE, f"{BASE}/{template.id}/versions", f"{BASE}/{template.id}"):
            with count_statements() as statements:
                assert client.get(url).status_code == 200
            sizes.append(len(statements))
        return tuple(sizes)

    def new_version():
        draft = queries.draft_of(template)
        forms.publish(admin, template, draft, draft.version_id)
        forms.start_draft(admin, template)

    new_version()
    small = counts()
    for n in range(12):
        forms.create_template(admin, name=f"More {n}", name_es=f"Más {n}", category="other")
        new_version()
    assert counts() == small


@pytest.mark.parametrize(("kind", "extra"), [
    ("heading", {}), ("static_text", {}), ("short_text", {"min_length": "2", "max_length": "40"}),
    ("long_text", {"max_length": "900"}), ("number", {"min_value": "-1.5", "max_value": "9"}),
    ("date", {"date_rule": "future"}), ("yes_no", {"required": "y"}),
    ("single_choice", {"choices": "Never | Nunca | 0\nOften | A menudo | 3", "flag_at": "3"}),
    ("multiple_choice", {"choices": "Food | Comida\nHousing | Vivienda"}), ("signature", {"signer": "staff"}),
])
def test_every_kind_of_field_can_be_added_and_previewed(client, signed_in, template, kind, extra):
    resp = client.post(f"{BASE}/{template.id}/versions/1/fields/new?kind={kind}", data={
        "csrf_token": signed_in, "version_id": draft_version(template), "label_en": f"The {kind}",
        "label_es": f"El {kind}", "date_rule": "", "signer": "client", **extra})
    assert resp.status_code == 302, html(resp)[-1500:]
    field = queries.draft_of(template).field("f3")
    assert field["kind"] == kind and field["label"] == {"en": f"The {kind}", "es": f"El {kind}"}
    assert f"El {kind}" in html(client.get(f"{BASE}/{template.id}/versions/1/preview?lang=es"))
