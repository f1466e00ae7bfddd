"""FormTemplate (an agency's form, in its catalogue) and FormTemplateVersion (its fields and flags).

A version is a draft while the administrator edits it; publishing freezes it for good: documents
start on the latest published version and keep it, so its fields, bands and flags never change
again (a guard below refuses the UPDATE). Editing a published template starts a new draft version.
Nothing is deleted: a template that is no longer offered is archived.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organization, User
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..extensions import db
from .fields import FieldKind, Signer


class Category(StrEnum):
    INTAKE = "intake"
    CONSENT = "consent"
    RELEASE = "release"
    ASSESSMENT = "assessment"
    NOTICE = "notice"
    OTHER = "other"


CATEGORY_LABELS = {
    Category.INTAKE: "Intake",
    Category.CONSENT: "Consent",
    Category.RELEASE: "Release of information",
    Category.ASSESSMENT: "Assessment / screening",
    Category.NOTICE: "Notice",
    Category.OTHER: "Other",
}

# The flags of a version, in the order the editor shows them, with their labels.
FLAG_LABELS = {
    "fillable_portal": "Fillable on the client portal",
    "fillable_kiosk": "Fillable on a kiosk",
    "portal_assessment": "Offered as a portal assessment",
    "representative_may_sign": "A representative may sign for the client",
    "countersignature_required": "Staff countersignature required",
    "paper_only": "Must be signed on paper (cannot be e-signed)",
}
# Channels that end in an electronic signature: a paper-only template is offered on none of them.
E_SIGN_CHANNELS = ("fillable_portal", "fillable_kiosk", "portal_assessment")


class FrozenVersion(RuntimeError):
    """A published version was about to change: a bug, never a user's mistake."""


class FormTemplate(db.Model):
    """A form of one agency: name and description in English and Spanish, category, versions."""

    __tablename__ = "form_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_es: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_es: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20), default=Category.OTHER)
    # The number of the latest published version (None until the first is published).
    current_number: Mapped[int | None] = mapped_column(default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    archived_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    version_id: Mapped[int] = mapped_column(default=1)

    organization: Mapped[Organization] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    versions: Mapped[list[FormTemplateVersion]] = relationship(
        back_populates="template", order_by="FormTemplateVersion.number")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (UniqueConstraint(organization_id, name, name="uq_form_template_org_name"),)

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)

    def display_name(self, lang: str = "en") -> str:
        return self.name_es if lang == "es" and self.name_es else self.name

    def __repr__(self) -> str:
        return f"<FormTemplate {self.id} {self.name!r}>"


class FormTemplateVersion(db.Model):
    """One version of a template: its fields (validated JSON, see fields.py), severity bands and flags."""

    __tablename__ = "form_template_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("form_template.id"), index=True)
    number: Mapped[int] = mapped_column()
    fields: Mapped[list] = mapped_column(JSON, default=list)
    bands: Mapped[list] = mapped_column(JSON, default=list)
    # The template's names when this version was published (a document prints the name it was signed under).
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    # The plain-language card before signing, worded for this form: {"what": {"en": ..., "es": ...}, ...} (card.py).
    card: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    fillable_portal: Mapped[bool] = mapped_column(default=False)
    fillable_kiosk: Mapped[bool] = mapped_column(default=False)
    portal_assessment: Mapped[bool] = mapped_column(default=False)
    representative_may_sign: Mapped[bool] = mapped_column(default=False)
    countersignature_required: Mapped[bool] = mapped_column(default=False)
    paper_only: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    version_id: Mapped[int] = mapped_column(default=1)

    template: Mapped[FormTemplate] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        UniqueConstraint(template_id, number, name="uq_form_template_version_number"),
        # ESIGN/UETA exclusions (ES-EXCLUDED): a paper-only form is never offered where people e-sign.
        CheckConstraint("NOT (paper_only AND (fillable_portal OR fillable_kiosk OR portal_assessment))",
                        name="paper_only_not_e_signed"),
    )

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @property
    def can_e_sign(self) -> bool:
        """Whether a document of this version may be signed electronically (never when paper-only)."""
        return not self.paper_only

    def flags(self) -> dict[str, bool]:
        return {name: bool(getattr(self, name)) for name in FLAG_LABELS}

    def signers(self) -> list[str]:
        """Who signs this form, in field order: client, representative, staff."""
        return [f["signer"] for f in self.fields if f["kind"] == FieldKind.SIGNATURE]

    def has_signer(self, signer: Signer) -> bool:
        return str(signer) in self.signers()

    def field(self, key: str) -> dict | None:
        return next((f for f in self.fields if f["key"] == key), None)

    def __repr__(self) -> str:
        return f"<FormTemplateVersion {self.template_id} v{self.number}>"


FROZEN_ATTRIBUTES = ("number", "template_id", "fields", "bands", "title", "card", *FLAG_LABELS)


@event.listens_for(FormTemplateVersion, "before_update")
def _refuse_changing_a_published_version(mapper, connection, target: FormTemplateVersion) -> None:
    """A published version is what documents were started on: its content never changes."""
    state = inspect(target)
    published = state.attrs.published_at.history
    was_published = any(v is not None for v in (*published.unchanged, *published.deleted))
    if was_published and any(state.attrs[name].history.has_changes() for name in
                             ("published_at", *FROZEN_ATTRIBUTES)):
        raise FrozenVersion(f"version {target.number} of form template {target.template_id} is published")


@event.listens_for(FormTemplateVersion, "before_delete")
def _refuse_deleting_a_version(mapper, connection, target: FormTemplateVersion) -> None:
    if target.published_at is not None:
        raise FrozenVersion("published versions are never deleted")
