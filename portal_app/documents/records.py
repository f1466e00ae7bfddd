"""Documents of a client (a template version filled in, signed, sealed) and their signatures.

A document keeps, for good, the published template version it was started on; its answers are saved
as a draft as they go and checked with `validate_answers` when submitted. Nothing is ever deleted: a
voided document keeps its answers, signatures and reason; a declined signature is a row too.
Statuses: draft -> (waiting for the client) -> waiting for signatures -> completed; any but completed
-> voided. A completed e-signed document is sealed by the worker (`sealed_file_id` set when ready);
a paper-only document is completed by uploading the scanned wet-ink copy (`paper_copy_key`).
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..clients.models import Client
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..extensions import db
from .models import FormTemplateVersion
from .sealed import SealedFile

ITEM_TYPE = "document"  # its name in the per-representative HiddenItem registry


class DocumentStatus(StrEnum):
    DRAFT = "draft"
    WAITING_CLIENT = "waiting_client"
    WAITING_SIGNATURES = "waiting_signatures"
    COMPLETED = "completed"
    VOIDED = "voided"


STATUS_LABELS = {
    DocumentStatus.DRAFT: "Draft",
    DocumentStatus.WAITING_CLIENT: "Waiting for the client",
    DocumentStatus.WAITING_SIGNATURES: "Waiting for signatures",
    DocumentStatus.COMPLETED: "Completed",
    DocumentStatus.VOIDED: "Voided",
}


class SignerKind(StrEnum):
    CLIENT = "client"
    REPRESENTATIVE = "representative"
    STAFF = "staff"


SIGNER_KIND_LABELS = {SignerKind.CLIENT: "Client", SignerKind.REPRESENTATIVE: "Representative",
                      SignerKind.STAFF: "Staff countersignature"}


class Document(db.Model):
    """One form filled in for one client, on the template version it was started on."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))  # indexed with started_at
    template_version_id: Mapped[int] = mapped_column(ForeignKey("form_template_version.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=DocumentStatus.DRAFT)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    answers_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    paper_only: Mapped[bool] = mapped_column(default=False)  # copied from the version: signed in ink
    paper_copy_key: Mapped[str | None] = mapped_column(String(64), default=None)  # storage key of the scan
    paper_copy_type: Mapped[str] = mapped_column(String(40), default="")
    paper_copy_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    paper_copy_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The one representative a draft was emailed to (emailed.py): every other representative of the client,
    # also one added later, has it hidden (HiddenItem); None for a document sent to the whole portal.
    emailed_to_access_id: Mapped[int | None] = mapped_column(ForeignKey("client_access.id"), default=None)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    sealed_file_id: Mapped[int | None] = mapped_column(ForeignKey("sealed_file.id"), default=None)
    seal_attempts: Mapped[int] = mapped_column(default=0)
    version_id: Mapped[int] = mapped_column(default=1)

    client: Mapped[Client] = relationship()
    template_version: Mapped[FormTemplateVersion] = relationship()
    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id])
    voided_by: Mapped[User | None] = relationship(foreign_keys=[voided_by_id])
    paper_copy_by: Mapped[User | None] = relationship(foreign_keys=[paper_copy_by_id])
    sealed_file: Mapped[SealedFile | None] = relationship()
    signatures: Mapped[list[DocumentSignature]] = relationship(
        back_populates="document", order_by="DocumentSignature.id")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        Index("ix_document_client_started", "client_id", "started_at"),
        Index("ix_document_unsealed", "status", "sealed_file_id"),
    )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def is_open(self) -> bool:
        return self.status not in (DocumentStatus.COMPLETED, DocumentStatus.VOIDED)

    @property
    def sealing(self) -> bool:
        """Completed electronically and waiting for the worker to produce the sealed PDF."""
        return self.status == DocumentStatus.COMPLETED and not self.paper_only and self.sealed_file_id is None

    def title(self, lang: str = "en") -> str:
        title = self.template_version.title or {}
        return title.get(lang) or title.get("en") or self.template_version.template.name

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.status}>"


class DocumentSignature(db.Model):
    """A signature (or a refusal to sign, with its reason) on a document: who, as what, how, when, from where."""

    __tablename__ = "document_signature"
    sender_told = False  # not a column: a decline's listener already put it in the sender's Inbox (workflow)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    signer_kind: Mapped[str] = mapped_column(String(20))
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    access_id: Mapped[int | None] = mapped_column(ForeignKey("client_access.id"), default=None)
    typed_name: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[str] = mapped_column(String(300), default="")  # "Ana Delgado, mother, for Sam Delgado"
    method: Mapped[str] = mapped_column(String(80), default="typed")
    statement: Mapped[str] = mapped_column(Text, default="")  # the intent statement shown, verbatim (ES-INTENT)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    content_sha256: Mapped[str] = mapped_column(String(64), default="")
    declined: Mapped[bool] = mapped_column(default=False)
    decline_reason: Mapped[str] = mapped_column(Text, default="")

    document: Mapped[Document] = relationship(back_populates="signatures")
    staff_user: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint("signer_kind IN ('client', 'representative', 'staff')", name="signer_kind_known"),
    )

    @property
    def kind_label(self) -> str:
        return SIGNER_KIND_LABELS.get(self.signer_kind, self.signer_kind)

    def __repr__(self) -> str:
        return f"<DocumentSignature {self.id} {self.signer_kind}{' declined' if self.declined else ''}>"
