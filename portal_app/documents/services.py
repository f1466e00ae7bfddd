"""Form templates: create, edit a draft version (fields, flags, bands), publish, archive.

Every function takes the acting administrator as `actor`, checks the rules before changing anything,
records an audit event and flushes; the request commits. A published version never changes: editing
a published template starts a new draft version (a copy), which becomes current when published.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..accounts.models import User
from ..clock import utcnow
from ..extensions import db
from .card import check_card
from .errors import (
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
from .fields import (
    ANSWER_KINDS,
    FieldKind,
    FieldSchemaError,
    Signer,
    check_bands,
    check_field,
    check_fields,
    next_key,
    scored,
)
from .models import (
    E_SIGN_CHANNELS,
    FLAG_LABELS,
    Category,
    FormTemplate,
    FormTemplateVersion,
)
from .policy import may_manage_form_template
from .queries import draft_of

DETAILS = ("name", "name_es", "description", "description_es", "category")


def _check_actor(actor: User, template: FormTemplate | None = None) -> None:
    """Only the agency's administrators, only on their agency's templates (S15)."""
    if not may_manage_form_template(actor, template):
        raise TemplateNotFound


def _check_name_free(actor: User, name: str, template: FormTemplate | None = None) -> None:
    stmt = select(FormTemplate.id).where(FormTemplate.organization_id == actor.organization_id,
                                         func.lower(FormTemplate.name) == name.lower())
    if template is not None:
        stmt = stmt.where(FormTemplate.id != template.id)
    if db.session.scalar(stmt.limit(1)) is not None:
        raise DuplicateTemplateName


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as err:
        raise StaleDraft from err


def _details(values: dict[str, Any]) -> dict[str, str]:
    out = {name: (values.get(name) or "").strip() for name in DETAILS}
    out["category"] = str(Category(out["category"] or Category.OTHER))
    return out


def create_template(actor: User, **values: Any) -> FormTemplate:
    """A new template of the actor's agency with an empty draft version 1."""
    _check_actor(actor)
    details = _details(values)
    _check_name_free(actor, details["name"])
    template = FormTemplate(organization_id=actor.organization_id, created_by_id=actor.id, **details)
    db.session.add(template)
    db.session.add(FormTemplateVersion(template=template, number=1, fields=[], bands=[], title={},
                                       created_by_id=actor.id))
    _flush()
    audit.record("forms.template_created", actor, obj=template, details={"name": template.name})
    return template


def update_template(actor: User, template: FormTemplate, expected_version: int | None, **values: Any) -> list[str]:
    """Change the name, description or category (not versioned: the catalogue entry); returns what changed."""
    _check_actor(actor, template)
    if template.archived:
        raise ArchivedTemplate
    if expected_version is None or expected_version != template.version_id:
        raise StaleDraft
    details = _details(values)
    _check_name_free(actor, details["name"], template)
    changes = [name for name, value in details.items() if getattr(template, name) != value]
    for name in changes:
        setattr(template, name, details[name])
    _flush()
    if changes:
        audit.record("forms.template_updated", actor, obj=template, details={"changes": changes})
    return changes


def set_archived(actor: User, template: FormTemplate, archived: bool) -> None:
    """Archive (no longer offered; nothing deleted, documents keep their version) or unarchive."""
    _check_actor(actor, template)
    if template.archived == archived:
        return
    template.archived_at, template.archived_by_id = (utcnow(), actor.id) if archived else (None, None)
    _flush()
    audit.record("forms.template_archived" if archived else "forms.template_unarchived", actor, obj=template)


def start_draft(actor: User, template: FormTemplate) -> FormTemplateVersion:
    """A new draft version copying the current one: what "Edit fields and settings" opens."""
    _check_actor(actor, template)
    if template.archived:
        raise ArchivedTemplate
    if draft_of(template) is not None:
        raise DraftExists
    latest = max(template.versions, key=lambda v: v.number)
    draft = FormTemplateVersion(
        template=template, number=latest.number + 1, fields=list(latest.fields), bands=list(latest.bands),
        title={}, card=dict(latest.card or {}), created_by_id=actor.id, **latest.flags())
    db.session.add(draft)
    _flush()
    audit.record("forms.draft_started", actor, obj=template, details={"version": draft.number})
    return draft


def editable_draft(actor: User, template: FormTemplate, version: FormTemplateVersion,
                   expected_version: int | None) -> FormTemplateVersion:
    """The version, if it is the template's draft and unchanged since the page showed it."""
    _check_actor(actor, template)
    if version.template_id != template.id:
        raise VersionNotFound
    if template.archived:
        raise ArchivedTemplate
    if not version.is_draft:
        raise NoDraft
    if expected_version is None or expected_version != version.version_id:
        raise StaleDraft
    return version


def check_flags(flags: dict[str, bool]) -> dict[str, bool]:
    """The six flags, refusing a paper-only form offered on a channel that ends in an e-signature."""
    clean = {name: bool(flags.get(name)) for name in FLAG_LABELS}
    if clean["paper_only"] and any(clean[name] for name in E_SIGN_CHANNELS):
        raise PaperOnlyTemplate
    return clean


def update_settings(actor: User, template: FormTemplate, draft: FormTemplateVersion, expected_version: int | None,
                    *, flags: dict[str, bool], bands: list[dict], card: dict | None = None) -> None:
    """The draft's flags, severity bands and (when given) its plain-language card before signing."""
    editable_draft(actor, template, draft, expected_version)
    clean = check_flags(flags)
    if card is not None:
        draft.card = check_card(card)
    try:
        draft.bands = check_bands(bands)
    except FieldSchemaError as err:
        raise InvalidField(f"Severity bands: {err}.".replace("severity band", "band"), field="bands") from err
    for name, value in clean.items():
        setattr(draft, name, value)
    _flush()
    audit.record("forms.settings_updated", actor, obj=template,
                 details={"version": draft.number, **clean, "bands": len(draft.bands),
                          "card": sorted(draft.card or {})})


def _checked(raw: dict[str, Any]) -> dict[str, Any]:
    try:
        return check_field(raw)
    except FieldSchemaError as err:
        raise InvalidField(f"{str(err)[0].upper()}{str(err)[1:]}.") from err


def add_field(actor: User, template: FormTemplate, draft: FormTemplateVersion, expected_version: int | None,
              raw: dict[str, Any]) -> dict[str, Any]:
    """Append a field to the draft (its key is chosen here); returns the stored field."""
    editable_draft(actor, template, draft, expected_version)
    if len(draft.fields) >= 200:
        raise InvalidField("A form holds at most 200 fields.")
    field = _checked({**raw, "key": next_key(draft.fields)})
    draft.fields = [*draft.fields, field]
    _flush()
    audit.record("forms.field_added", actor, obj=template,
                 details={"version": draft.number, "key": field["key"], "kind": field["kind"]})
    return field


def _index(draft: FormTemplateVersion, key: str) -> int:
    for n, field in enumerate(draft.fields):
        if field["key"] == key:
            return n
    raise VersionNotFound


def update_field(actor: User, template: FormTemplate, draft: FormTemplateVersion, expected_version: int | None,
                 key: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Replace one field's properties (its key and kind stay)."""
    editable_draft(actor, template, draft, expected_version)
    n = _index(draft, key)
    field = _checked({**raw, "key": key, "kind": draft.fields[n]["kind"]})
    draft.fields = [*draft.fields[:n], field, *draft.fields[n + 1:]]
    _flush()
    audit.record("forms.field_updated", actor, obj=template, details={"version": draft.number, "key": key})
    return field


def move_field(actor: User, template: FormTemplate, draft: FormTemplateVersion, expected_version: int | None,
               key: str, direction: str) -> None:
    """Move a field one place up or down (at the top or the bottom already: nothing changes)."""
    editable_draft(actor, template, draft, expected_version)
    n = _index(draft, key)
    to = n - 1 if direction == "up" else n + 1
    if not 0 <= to < len(draft.fields):
        return
    fields = list(draft.fields)
    fields[n], fields[to] = fields[to], fields[n]
    draft.fields = fields
    _flush()
    audit.record("forms.field_moved", actor, obj=template,
                 details={"version": draft.number, "key": key, "direction": direction})


def remove_field(actor: User, template: FormTemplate, draft: FormTemplateVersion, expected_version: int | None,
                 key: str) -> None:
    """Remove a field from the draft (published versions keep theirs)."""
    editable_draft(actor, template, draft, expected_version)
    n = _index(draft, key)
    draft.fields = [*draft.fields[:n], *draft.fields[n + 1:]]
    _flush()
    audit.record("forms.field_removed", actor, obj=template, details={"version": draft.number, "key": key})


def publishing_problems(template: FormTemplate, draft: FormTemplateVersion) -> list[str]:
    """What stops the draft from being published, in sentences (empty: it may be published)."""
    problems = []
    if not any(f["kind"] in ANSWER_KINDS or f["kind"] == FieldKind.SIGNATURE for f in draft.fields):
        problems.append("Add at least one question or signature block.")
    if draft.has_signer(Signer.REPRESENTATIVE) and not draft.representative_may_sign:
        problems.append("The form has a representative's signature block: tick "
                        "\u201cA representative may sign for the client\u201d, or remove the block.")
    if draft.countersignature_required and not draft.has_signer(Signer.STAFF):
        problems.append("A staff countersignature is required: add a staff countersignature block, "
                        "or untick \u201cStaff countersignature required\u201d.")
    if draft.bands and not scored(draft.fields):
        problems.append("Severity bands need answers that carry scores: give the choices scores, or remove the bands.")
    if not template.name_es:
        problems.append("Give the form's name in Spanish too.")
    return problems


def publish(actor: User, template: FormTemplate, draft: FormTemplateVersion, expected_version: int | None) -> None:
    """Freeze the draft; it becomes the version new documents start on."""
    editable_draft(actor, template, draft, expected_version)
    problems = publishing_problems(template, draft)
    if problems:
        raise NotPublishable(" ".join(problems))
    check_flags(draft.flags())
    draft.title = {"en": template.name, "es": template.name_es or template.name}
    draft.published_at, draft.published_by_id = utcnow(), actor.id
    template.current_number = draft.number
    _flush()
    audit.record("forms.version_published", actor, obj=template, details={"version": draft.number})


def ensure_can_e_sign(version: FormTemplateVersion) -> None:
    """Refuse an electronic signature, or sending for one, on a paper-only form (ESIGN exclusions)."""
    if not version.can_e_sign:
        raise CannotEsign


def install_template(actor: User, *, fields: list[dict], bands: list[dict] | None = None,
                     flags: dict[str, bool] | None = None, **details: Any) -> FormTemplate:
    """Create and publish a whole template at once (the demo network, imports): same rules as the editor."""
    template = create_template(actor, **details)
    draft = template.versions[0]
    update_settings(actor, template, draft, draft.version_id, flags=flags or {}, bands=bands or [])
    try:
        draft.fields = check_fields(fields)
    except FieldSchemaError as err:
        raise InvalidField(str(err)) from err
    _flush()
    publish(actor, template, draft, draft.version_id)
    return template
