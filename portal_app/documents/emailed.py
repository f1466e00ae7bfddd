"""A document emailed to ONE representative (seed 002's workaround, done properly).

Staff choose one of the client's portal accesses; that account gets an email with a signed link (7 days,
this purpose only, no client details). The link is bound to the document AND to that account: after the
person signs in on the portal it opens that document, acting for its client; anyone else signing in with
it is refused without learning anything. A document emailed this way while still a draft is hidden from
the client's other representatives (the HiddenItem registry), so they get no email, no count, no list row;
it remembers the person (Document.emailed_to_access_id), so a representative added later has it hidden too.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from .. import audit
from ..accounts.models import User
from ..clock import as_utc, utcnow
from ..db_types import UTCDateTime
from ..extensions import db
from ..outbox import enqueue_template
from ..portal_access.hiding import hide_item
from ..portal_access.models import ClientAccess, HiddenItem, PortalAccount
from ..tokens import TokenExpired, TokenInvalid, make_token, read_token
from .errors import DocumentError
from .records import ITEM_TYPE, Document, DocumentStatus
from .services import ensure_can_e_sign

LINK_PURPOSE = "document-link"
LINK_DAYS = 7
LINK_AGE = LINK_DAYS * 24 * 3600


class RecipientNotOffered(DocumentError):
    field = "access_id"
    status = 422
    default_message = "Choose one of the client's portal accounts that has an email address."


class LinkProblem(Exception):
    """An emailed document link that cannot be used; `kind` says why (expired, invalid, other_document)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class DocumentEmailLink(db.Model):
    """One emailed link: which document, for which access (and its account), sent by whom, when first opened."""

    __tablename__ = "document_email_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    access_id: Mapped[int] = mapped_column(ForeignKey("client_access.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("portal_account.id"))
    nonce: Mapped[str] = mapped_column(String(32))
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    document: Mapped[Document] = relationship()
    access: Mapped[ClientAccess] = relationship()
    sent_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<DocumentEmailLink {self.id} document={self.document_id} access={self.access_id}>"


def emailable_accesses(document: Document) -> list[ClientAccess]:
    """The client's active accesses whose account may sign in, has an email and may see the document."""
    hidden = select(HiddenItem.access_id).where(HiddenItem.item_type == ITEM_TYPE, HiddenItem.item_id == document.id)
    return list(db.session.scalars(
        select(ClientAccess).join(PortalAccount, PortalAccount.id == ClientAccess.account_id)
        .options(joinedload(ClientAccess.account), joinedload(ClientAccess.client))
        .where(ClientAccess.client_id == document.client_id, ClientAccess.readable(), PortalAccount.email != "",
               ClientAccess.id.not_in(hidden))
        .order_by(ClientAccess.id)))


def links_of(document: Document) -> list[DocumentEmailLink]:
    """The links emailed for this document, newest first (the staff detail page)."""
    return list(db.session.scalars(select(DocumentEmailLink).where(DocumentEmailLink.document_id == document.id)
                                   .options(joinedload(DocumentEmailLink.access).joinedload(ClientAccess.account),
                                            joinedload(DocumentEmailLink.sent_by))
                                   .order_by(DocumentEmailLink.id.desc())))


def _hide_from_others(actor: User, document: Document, chosen: ClientAccess) -> list[int]:
    """Hide the document from every other representative of the client (the client's own access cannot be)."""
    others = db.session.scalars(select(ClientAccess).where(
        ClientAccess.client_id == document.client_id, ClientAccess.active, ClientAccess.id != chosen.id))
    return [a.id for a in others if not a.is_self and hide_item(actor, a, ITEM_TYPE, document.id)]


def email_to_representative(actor: User, document: Document, access_id: int | None) -> DocumentEmailLink:
    """Email one account a link to this document. A draft becomes "waiting for the client", hidden from the
    other representatives; a document already waiting for the client is simply pointed out to this person."""
    from .workflow import _audit, _flush, _require

    _require(document, DocumentStatus.DRAFT, DocumentStatus.WAITING_CLIENT, doing="emailed to a representative")
    ensure_can_e_sign(document.template_version)
    if not document.template_version.fillable_portal:
        raise RecipientNotOffered("This form is not fillable on the client portal (see its settings under Forms).")
    access = next((a for a in emailable_accesses(document) if a.id == access_id), None)
    if access is None:
        raise RecipientNotOffered
    hidden_from: list[int] = []
    if document.status == DocumentStatus.DRAFT:
        document.status = DocumentStatus.WAITING_CLIENT
        document.sent_by_id, document.sent_at = actor.id, utcnow()
        document.emailed_to_access_id = access.id  # representatives added later will not see it either
        _flush()
        hidden_from = _hide_from_others(actor, document, access)
    link = DocumentEmailLink(document=document, access=access, account_id=access.account_id,
                             nonce=secrets.token_hex(16), sent_by_id=actor.id, sent_at=utcnow(),
                             expires_at=utcnow() + timedelta(days=LINK_DAYS))
    db.session.add(link)
    _flush()
    token = make_token(LINK_PURPOSE, {"l": link.id, "d": document.id, "n": link.nonce})
    url = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + f"/links/documents/{document.id}/{token}"
    account = access.account
    enqueue_template(account.email, "document_for_you", agency_name=document.client.organization.name, link=url,
                     language=account.language)
    _audit("emailed_to_representative", actor, document, access_id=access.id, link_id=link.id,
           hidden_from=hidden_from)
    return link


def read_link(document_id: int, token: str) -> DocumentEmailLink:
    """The link a token names, for the document in its URL; LinkProblem otherwise (nothing about the client)."""
    try:
        payload = read_token(LINK_PURPOSE, token, LINK_AGE)
    except TokenExpired as err:
        raise LinkProblem("expired") from err
    except TokenInvalid as err:
        raise LinkProblem("invalid") from err
    if not isinstance(payload, dict) or not isinstance(payload.get("l"), int):
        raise LinkProblem("invalid")
    if payload.get("d") != document_id:
        raise LinkProblem("other_document")
    return handoff_link(payload)


def handoff_link(payload: dict | None) -> DocumentEmailLink:
    """The link behind a token or hand-off payload {l, n}; LinkProblem when unknown, changed or out of date."""
    if not isinstance(payload, dict):
        raise LinkProblem("invalid")
    link = db.session.get(DocumentEmailLink, payload.get("l")) if isinstance(payload.get("l"), int) else None
    if link is None or not secrets.compare_digest(link.nonce, str(payload.get("n", ""))):
        raise LinkProblem("invalid")
    if as_utc(link.expires_at) < utcnow():
        raise LinkProblem("expired")
    return link


def open_link(account: PortalAccount, link: DocumentEmailLink) -> ClientAccess | None:
    """The signed-in account opens the link: its access when the link is theirs and the access active, else None
    (the caller answers with a neutral refusal). Recorded either way."""
    access = link.access
    # The document's own pages then say where it stands (to fill, to sign, done; voided: not found).
    usable = link.account_id == account.id and access.account_id == account.id and access.active
    audit.record("document.link_opened" if usable else "document.link_refused", account, obj=link.document,
                 client_id=link.document.client_id, details={"link_id": link.id})
    if not usable:
        return None
    if link.opened_at is None:
        link.opened_at = utcnow()
        db.session.flush()
    return access
