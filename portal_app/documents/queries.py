"""Reads of form templates and their versions, scoped to the actor's agency in the query itself (S15)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..extensions import db
from ..paging import Page, fetch_page
from .errors import TemplateNotFound, VersionNotFound
from .models import FLAG_LABELS, FormTemplate, FormTemplateVersion


def _agency_id(actor: User) -> int:
    """The actor's agency id; an actor outside any agency (operator, partner) gets an id no row has."""
    return actor.organization_id if getattr(actor, "is_staff", False) and actor.organization_id else -1


def templates_page(actor: User, page: Any = 1, *, archived: bool = False) -> Page[FormTemplate]:
    """One page of the agency's templates (active, or archived), by name."""
    stmt = (select(FormTemplate)
            .where(FormTemplate.organization_id == _agency_id(actor),
                   FormTemplate.archived_at.is_not(None) if archived else FormTemplate.archived_at.is_(None))
            .order_by(func.lower(FormTemplate.name), FormTemplate.id))
    return fetch_page(stmt, page)


def get_template_for(actor: User, template_id: int) -> FormTemplate:
    """A template of the actor's agency; any other raises TemplateNotFound (404)."""
    template = db.session.scalar(select(FormTemplate).where(
        FormTemplate.id == template_id, FormTemplate.organization_id == _agency_id(actor)))
    if template is None:
        raise TemplateNotFound
    return template


def get_version_for(actor: User, template_id: int, number: int) -> FormTemplateVersion:
    """Version `number` of a template of the actor's agency; otherwise VersionNotFound (404)."""
    version = db.session.scalar(
        select(FormTemplateVersion).join(FormTemplate, FormTemplate.id == FormTemplateVersion.template_id)
        .where(FormTemplate.id == template_id, FormTemplate.organization_id == _agency_id(actor),
               FormTemplateVersion.number == number))
    if version is None:
        raise VersionNotFound
    return version


def draft_of(template: FormTemplate) -> FormTemplateVersion | None:
    """The version being edited (unpublished), if any: at most one per template."""
    return db.session.scalar(select(FormTemplateVersion).where(
        FormTemplateVersion.template_id == template.id, FormTemplateVersion.published_at.is_(None)))


def current_version(template: FormTemplate) -> FormTemplateVersion | None:
    """The latest published version: the one new documents start on."""
    if template.current_number is None:
        return None
    return db.session.scalar(select(FormTemplateVersion).where(
        FormTemplateVersion.template_id == template.id, FormTemplateVersion.number == template.current_number))


def versions_of(template: FormTemplate) -> list[FormTemplateVersion]:
    """Every version, newest first (the history page)."""
    return list(db.session.scalars(select(FormTemplateVersion)
                                   .where(FormTemplateVersion.template_id == template.id)
                                   .options(joinedload(FormTemplateVersion.created_by),
                                            joinedload(FormTemplateVersion.published_by))
                                   .order_by(FormTemplateVersion.number.desc())))


def offered_versions(actor: User, flag: str) -> list[FormTemplateVersion]:
    """Current versions of the agency's active templates that carry `flag` (e.g. "portal_assessment",
    "fillable_kiosk"): what the requests and kiosk pieces offer. One query."""
    if flag not in FLAG_LABELS:
        raise ValueError(f"not a form template flag: {flag!r}")
    column = getattr(FormTemplateVersion, flag)
    return list(db.session.scalars(
        select(FormTemplateVersion)
        .join(FormTemplate, and_(FormTemplate.id == FormTemplateVersion.template_id,
                                 FormTemplate.current_number == FormTemplateVersion.number))
        .where(FormTemplate.organization_id == _agency_id(actor), FormTemplate.archived_at.is_(None),
               column.is_(True))
        .order_by(func.lower(FormTemplate.name))))
