"""Requests to a client through the portal: what staff ask for (an assessment, a document, a location),
sent alone or as a bundle, and what the client sent back; the agency's document categories.

`PortalRequest.kind` is a plain string checked against `RequestKind` and the fulfilment registry
(`kinds.py`), not a database enum: a new kind (e.g. a release of information) is one enum value and one
registered handler, with no schema change. Nothing is deleted: a cancelled request stays, marked so.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organization, User
from ..clients.models import Client
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..documents.records import Document
from ..extensions import db
from ..files import StoredFile
from ..portal_access.models import PortalAccount

ITEM_TYPE = "portal_request"  # its name in the per-representative HiddenItem registry


class RequestKind(StrEnum):
    ASSESSMENT = "assessment"
    DOCUMENT = "document"
    LOCATION = "location"
    ROI = "roi"  # the agency's release-of-information form, filled in and signed on the portal


KIND_LABELS = {RequestKind.ASSESSMENT: "Assessment", RequestKind.DOCUMENT: "Document",
               RequestKind.LOCATION: "Location", RequestKind.ROI: "Release of Information"}


class RequestStatus(StrEnum):
    OPEN = "open"  # waiting for the client
    FULFILLED = "fulfilled"  # the client sent it; staff accept or return it
    ACCEPTED = "accepted"
    RETURNED = "returned"  # sent back with a reason: waiting for the client again
    CANT_PROVIDE = "cant_provide"  # the client said "I can't provide this", with a reason
    CANCELLED = "cancelled"


STATUS_LABELS = {
    RequestStatus.OPEN: "Open", RequestStatus.FULFILLED: "Fulfilled, to review",
    RequestStatus.ACCEPTED: "Accepted", RequestStatus.RETURNED: "Returned to the client",
    RequestStatus.CANT_PROVIDE: "Client can't provide", RequestStatus.CANCELLED: "Cancelled",
}
# The client may act on the request (fulfil it, or say they can't) in these statuses.
WAITING = (RequestStatus.OPEN, RequestStatus.RETURNED, RequestStatus.CANT_PROVIDE)
# Finished: counts as done in a bundle's progress.
DONE = (RequestStatus.FULFILLED, RequestStatus.ACCEPTED)

CANT_REASONS = {
    "dont_have": "I don't have it",
    "lost": "I lost it",
    "need_help": "I need help getting it",
    "other": "Other",
}
DECLINED = "declined"  # the cant_reason of an ROI request whose form the signer declined (with their reason)


class DocumentCategory(db.Model):
    """A category of client documents of one agency (Identification, Income ...), managed by its admins."""

    __tablename__ = "document_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    name_es: Mapped[str] = mapped_column(String(100), default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    organization: Mapped[Organization] = relationship()
    names: Mapped[list[DocumentName]] = relationship(back_populates="category", order_by="DocumentName.name")

    def label(self, lang: str = "en") -> str:
        return self.name_es if lang == "es" and self.name_es else self.name


class DocumentName(db.Model):
    """A predefined name of a document in a category ("Driver's licence" under Identification)."""

    __tablename__ = "document_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("document_category.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    name_es: Mapped[str] = mapped_column(String(100), default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    category: Mapped[DocumentCategory] = relationship(back_populates="names")

    def label(self, lang: str = "en") -> str:
        return self.name_es if lang == "es" and self.name_es else self.name


class RequestBundle(db.Model):
    """Several requests sent as one packet ("Intake packet"): one notification, one progress bar."""

    __tablename__ = "request_bundle"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship()
    sent_by: Mapped[User] = relationship()
    requests: Mapped[list[PortalRequest]] = relationship(back_populates="bundle", order_by="PortalRequest.id")


class PortalRequest(db.Model):
    """One thing asked of a client on the portal, its status, and the result the client sent."""

    __tablename__ = "portal_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))  # indexed with requested_at
    bundle_id: Mapped[int | None] = mapped_column(ForeignKey("request_bundle.id"), default=None, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    private: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.OPEN)
    due_date: Mapped[date | None] = mapped_column(Date, default=None)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What is asked: an assessment (the document started from the template), or a document of a category.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), default=None)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("document_category.id"), default=None)
    document_name_id: Mapped[int | None] = mapped_column(ForeignKey("document_name.id"), default=None)
    other_name: Mapped[str] = mapped_column(String(100), default="")
    # The result: the file received (a document request) or the location (text and/or position).
    received_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"), default=None)
    received_pages: Mapped[int] = mapped_column(default=0)
    pending_pages: Mapped[list] = mapped_column(JSON, default=list)  # stored file ids added one by one
    location_text: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    fulfilled_by_id: Mapped[int | None] = mapped_column(ForeignKey("portal_account.id"), default=None)
    cant_reason: Mapped[str] = mapped_column(String(20), default="")
    cant_text: Mapped[str] = mapped_column(Text, default="")
    return_reason: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The conversation that carries the PORTAL Inbox items of this request to the staff member.
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversation.id"), default=None)
    reminded: Mapped[list] = mapped_column(JSON, default=list)  # "3d.<due>", "day.<due>": each sent once
    version_id: Mapped[int] = mapped_column(default=1)

    client: Mapped[Client] = relationship()
    bundle: Mapped[RequestBundle | None] = relationship(back_populates="requests")
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    fulfilled_by: Mapped[PortalAccount | None] = relationship()
    category: Mapped[DocumentCategory | None] = relationship()
    document_name: Mapped[DocumentName | None] = relationship()
    received_file: Mapped[StoredFile | None] = relationship()
    document: Mapped[Document | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        Index("ix_portal_request_client_requested", "client_id", "requested_at"),
        Index("ix_portal_request_status_due", "status", "due_date"),
    )

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.title())

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def waiting_for_client(self) -> bool:
        return self.status in WAITING

    def is_overdue(self, today: date) -> bool:
        """Past its due date and still waiting for the client."""
        return self.due_date is not None and self.waiting_for_client and self.due_date < today

    def what(self, lang: str = "en") -> str:
        """What was asked, in the reader's words: the assessment's title, the document's name, "Your location"."""
        if self.kind in (RequestKind.ASSESSMENT, RequestKind.ROI) and self.document is not None:
            return self.document.title(lang)
        if self.kind == RequestKind.DOCUMENT:
            name = self.other_name or (self.document_name.label(lang) if self.document_name else "")
            category = self.category.label(lang) if self.category else ""
            return f"{name} ({category})" if name and category else (name or category)
        return ""

    def __repr__(self) -> str:
        return f"<PortalRequest {self.id} {self.kind} {self.status}>"
