"""Form templates and versions: drafts, publishing freezes, editing makes a new version, paper-only forms,
agency scoping in the services and loaders, audit events."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal_app.audit import AuditEvent
from portal_app.documents import queries
from portal_app.documents import services as forms
from portal_app.documents.errors import (
    ArchivedTemplate,
    CannotEsign,
    DraftExists,
    DuplicateTemplateName,
    InvalidField,
    NoDraft,
    NotPublishable,
    PaperOnlyTemplate,
    StaleDraft,
    TemplateNotFound,
    VersionNotFound,
)
from portal_app.documents.models import FormTemplateVersion, FrozenVersion
from portal_app.extensions import db
from tests import factories

NAME = {"kind": "short_text", "label": {"en": "Name", "es": "Nombre"}, "required": True}
AGE = {"kind": "number", "label": {"en": "Age", "es": "Edad"}, "min_value": 0, "max_value": 120}
SIGN = {"kind": "signature", "label": {"en": "Signature", "es": "Firma"}, "signer": "client"}


@pytest.fixture
def template(admin):
    t = forms.create_template(admin, name="Intake", name_es="Admisión", category="intake")
    draft = t.versions[0]
    forms.add_field(admin, t, draft, draft.version_id, NAME)
    forms.add_field(admin, t, draft, draft.version_id, SIGN)
    return t


def published(admin, template):
    draft = queries.draft_of(template)
    forms.publish(admin, template, draft, draft.version_id)
    return draft


def events(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def test_a_new_template_opens_on_an_empty_draft_version_1(admin):
    t = forms.create_template(admin, name="Consent", name_es="Consentimiento", category="consent")
    assert t.organization_id == admin.organization_id and t.current_number is None
    assert [(v.number, v.is_draft, v.fields) for v in t.versions] == [(1, True, [])]
    assert events("forms.template_created") == 1


def test_fields_get_keys_and_can_be_edited_moved_and_removed_in_the_draft(admin, template):
    draft = template.versions[0]
    age = forms.add_field(admin, template, draft, draft.version_id, AGE)
    assert [f["key"] for f in draft.fields] == ["f1", "f2", "f3"] and age["key"] == "f3"
    forms.move_field(admin, template, draft, draft.version_id, "f3", "up")
    forms.move_field(admin, template, draft, draft.version_id, "f3", "up")
    forms.move_field(admin, template, draft, draft.version_id, "f3", "up")  # already first: nothing happens
    assert [f["key"] for f in draft.fields] == ["f3", "f1", "f2"]
    forms.update_field(admin, template, draft, draft.version_id, "f3", {**AGE, "kind": "long_text",
                                                                         "label": {"en": "Years", "es": "Años"}})
    assert draft.field("f3")["kind"] == "number" and draft.field("f3")["label"]["es"] == "Años"
    forms.remove_field(admin, template, draft, draft.version_id, "f3")
    assert [f["key"] for f in draft.fields] == ["f1", "f2"]
    assert events("forms.field_moved") == 2 and events("forms.field_removed") == 1
    with pytest.raises(VersionNotFound):
        forms.remove_field(admin, template, draft, draft.version_id, "f9")


def test_publishing_freezes_the_version_and_makes_it_current(admin, template):
    v1 = published(admin, template)
    assert template.current_number == 1 and not v1.is_draft and v1.title == {"en": "Intake", "es": "Admisión"}
    with pytest.raises(NoDraft):
        forms.add_field(admin, template, v1, v1.version_id, AGE)
    with pytest.raises(NoDraft):
        forms.publish(admin, template, v1, v1.version_id)
    v1.fields = []  # bypassing the services: the model itself refuses
    with pytest.raises(FrozenVersion):
        db.session.flush()
    db.session.rollback()


def test_editing_a_published_template_makes_a_new_version_and_the_old_stays_readable(admin, template):
    v1 = published(admin, template)
    v2 = forms.start_draft(admin, template)
    assert (v2.number, v2.is_draft, v2.fields) == (2, True, v1.fields)
    with pytest.raises(DraftExists):
        forms.start_draft(admin, template)
    forms.add_field(admin, template, v2, v2.version_id, AGE)
    forms.remove_field(admin, template, v2, v2.version_id, "f1")
    assert queries.current_version(template) is v1 and len(v1.fields) == 2 and v1.field("f1")
    forms.publish(admin, template, v2, v2.version_id)
    db.session.expire_all()
    assert template.current_number == 2
    assert [v.number for v in queries.versions_of(template)] == [2, 1]
    old = queries.get_version_for(admin, template.id, 1)
    assert [f["key"] for f in old.fields] == ["f1", "f2"] and not old.is_draft
    assert events("forms.version_published") == 2 and events("forms.draft_started") == 1


def test_a_stale_page_changes_nothing(admin, template):
    draft = template.versions[0]
    seen = draft.version_id
    forms.add_field(admin, template, draft, seen, AGE)
    with pytest.raises(StaleDraft):
        forms.remove_field(admin, template, draft, seen, "f1")
    with pytest.raises(StaleDraft):
        forms.update_template(admin, template, None, name="X", name_es="X", category="other")
    assert len(draft.fields) == 3


@pytest.mark.parametrize("channel", ["fillable_portal", "fillable_kiosk", "portal_assessment"])
def test_a_paper_only_form_is_never_offered_where_people_e_sign(admin, template, channel):
    draft = template.versions[0]
    with pytest.raises(PaperOnlyTemplate):
        forms.update_settings(admin, template, draft, draft.version_id, flags={"paper_only": True, channel: True},
                              bands=[])
    assert not draft.paper_only and not getattr(draft, channel)


def test_the_database_refuses_a_paper_only_e_signed_version_too(admin, template):
    draft = template.versions[0]
    draft.paper_only = draft.fillable_portal = True
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.flush()


def test_a_paper_only_version_cannot_be_e_signed(admin, template):
    draft = template.versions[0]
    forms.update_settings(admin, template, draft, draft.version_id, flags={"paper_only": True}, bands=[])
    v1 = published(admin, template)
    assert not v1.can_e_sign
    with pytest.raises(CannotEsign):
        forms.ensure_can_e_sign(v1)
    forms.ensure_can_e_sign(FormTemplateVersion(paper_only=False))  # an ordinary form may be


def test_publishing_explains_what_to_fix_first(admin):
    t = forms.create_template(admin, name="Empty", name_es="Vacío", category="other")
    draft = t.versions[0]
    with pytest.raises(NotPublishable, match="Add at least one question"):
        forms.publish(admin, t, draft, draft.version_id)
    forms.add_field(admin, t, draft, draft.version_id, {**SIGN, "signer": "representative"})
    forms.update_settings(admin, t, draft, draft.version_id, flags={"countersignature_required": True},
                          bands=[{"min": 0, "max": 4, "label": {"en": "Low", "es": "Bajo"}}])
    problems = forms.publishing_problems(t, draft)
    assert any("representative" in p for p in problems)
    assert any("countersignature" in p for p in problems)
    assert any("Severity bands need answers that carry scores" in p for p in problems)
    assert draft.is_draft and t.current_number is None


def test_invalid_fields_and_bands_are_refused_with_a_reason(admin, template):
    draft = template.versions[0]
    with pytest.raises(InvalidField, match="minimum is above the maximum"):
        forms.add_field(admin, template, draft, draft.version_id, {**AGE, "min_value": 5, "max_value": 1})
    with pytest.raises(InvalidField, match="Spanish|es text"):
        forms.add_field(admin, template, draft, draft.version_id, {**NAME, "label": {"en": "Name", "es": ""}})
    with pytest.raises(InvalidField, match="overlaps"):
        forms.update_settings(admin, template, draft, draft.version_id, flags={}, bands=[
            {"min": 0, "max": 5, "label": {"en": "A", "es": "A"}}, {"min": 5, "max": 9, "label": {"en": "B", "es": "B"}}])
    assert len(draft.fields) == 2 and draft.bands == []


def test_names_are_unique_within_an_agency_only(admin):
    forms.create_template(admin, name="Intake", name_es="Admisión", category="intake")
    with pytest.raises(DuplicateTemplateName):
        forms.create_template(admin, name="INTAKE", name_es="x", category="intake")
    other = factories.user(factories.agency(), role="admin", email="admin@other.test")
    forms.create_template(other, name="Intake", name_es="Admisión", category="intake")


def test_archiving_hides_nothing_it_only_stops_changes(admin, template):
    v1 = published(admin, template)
    forms.set_archived(admin, template, True)
    assert template.archived and queries.current_version(template) is v1
    assert queries.templates_page(admin).items == [] and queries.templates_page(admin, archived=True).items == [template]
    with pytest.raises(ArchivedTemplate):
        forms.start_draft(admin, template)
    forms.set_archived(admin, template, False)
    assert not template.archived and events("forms.template_unarchived") == 1


def test_another_agency_and_other_roles_reach_nothing(admin, supervisor, template):
    other = factories.user(factories.agency(), role="admin", email="admin@other.test")
    with pytest.raises(TemplateNotFound):
        queries.get_template_for(other, template.id)
    with pytest.raises(VersionNotFound):
        queries.get_version_for(other, template.id, 1)
    with pytest.raises(TemplateNotFound):
        forms.start_draft(other, template)
    with pytest.raises(TemplateNotFound):
        forms.create_template(supervisor, name="Mine", name_es="Mío", category="other")
    assert queries.templates_page(other).items == [] and queries.offered_versions(other, "fillable_portal") == []


def test_offered_versions_lists_current_versions_with_the_flag(admin, template):
    draft = template.versions[0]
    forms.update_settings(admin, template, draft, draft.version_id, flags={"fillable_kiosk": True}, bands=[])
    assert queries.offered_versions(admin, "fillable_kiosk") == []  # a draft is not offered
    v1 = published(admin, template)
    assert queries.offered_versions(admin, "fillable_kiosk") == [v1]
    assert queries.offered_versions(admin, "portal_assessment") == []


def test_the_demo_forms_are_published_for_both_agencies():
    from portal_app.demo import load_demo
    from portal_app.documents.models import FormTemplate

    assert load_demo()
    rows = db.session.execute(select(FormTemplate.organization_id, FormTemplate.name, FormTemplate.current_number)
                              .order_by(FormTemplate.organization_id, FormTemplate.id)).all()
    names = [r.name for r in rows]
    assert len({r.organization_id for r in rows}) == 2  # the ROI form is at version 2 (roi/demo_template.py)
    assert all(r.current_number == (2 if r.name == "Release of information" else 1) for r in rows)
    for name in ("Intake form", "Consent for services", "Release of information", "PHQ-9 depression screening",
                 "GAD-7 anxiety screening"):
        assert names.count(name) == 2
    roi = db.session.scalar(select(FormTemplateVersion).join(FormTemplate).where(
        FormTemplate.name == "Release of information"))
    assert roi.representative_may_sign and roi.field("expires_on")["date_rule"] == "future"
    assert {"recipient", "purpose", "information", "expires_on"} <= {f["key"] for f in roi.fields}
    notice = db.session.scalar(select(FormTemplateVersion).join(FormTemplate).where(
        FormTemplate.name == "Notice of termination of benefits"))
    assert notice.paper_only and not notice.can_e_sign
