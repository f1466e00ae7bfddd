"""The client portal's side of documents: which documents the acted-for client sees, filling them in,
signing (by the client, or a representative AS their capacity) or declining with a reason.

Every read goes through the access (own, active) and `visible_to` (items hidden from this representative
are absent: 404). Actions call `workflow` after the portal's own checks.
"""
from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from ..errors import Forbidden
from ..extensions import db
from ..plaintext import has_control_characters
from ..portal_access.models import ClientAccess
from ..portal_access.policy import visible_to
from . import workflow
from .consent import current_consent
from .errors import DocumentNotFound, SignatureNameInvalid
from .models import FormTemplateVersion
from .records import ITEM_TYPE, Document, DocumentStatus, SignerKind

S = DocumentStatus
PORTAL_STATUSES = (S.WAITING_CLIENT, S.WAITING_SIGNATURES, S.COMPLETED)
MAX_TYPED_NAME = 120
# What the signer affirms by ticking the box (ES-INTENT): shown beside it and stored with the signature.
PORTAL_INTENT = "I agree to sign this document electronically, and I mean my typed name as my signature."


class MaySignNot(Forbidden):
    """A representative whose access does not allow signing, or a form a representative may not sign."""

    default_message = "You cannot sign this document for this person. Ask the agency about signing it."


class ConsentRequired(Forbidden):
    default_message = "Agree to sign electronically first."


def _query(access: ClientAccess):
    return (select(Document).where(Document.client_id == access.client_id, Document.status.in_(PORTAL_STATUSES),
                                   Document.sent_at.is_not(None), visible_to(access, ITEM_TYPE, Document.id))
            .options(joinedload(Document.template_version).joinedload(FormTemplateVersion.template),
                     selectinload(Document.signatures), joinedload(Document.sealed_file)))


@cache
def _list_statement():
    """The portal home's and documents page's list, built once per process (bound per request). The
    signatures come joined: a second SELECT ... IN for them cost 0.6 ms of the portal home on its own."""
    access = bindparam("access_id")
    return (select(Document).where(Document.client_id == bindparam("client_id"),
                                   Document.status.in_(PORTAL_STATUSES), Document.sent_at.is_not(None),
                                   visible_to(access, ITEM_TYPE, Document.id))
            .options(joinedload(Document.template_version).joinedload(FormTemplateVersion.template),
                     joinedload(Document.signatures), joinedload(Document.sealed_file))
            .order_by(Document.sent_at.desc(), Document.id.desc()).limit(200))


def needs_client(document: Document) -> bool:
    """Waiting for the client: to be filled in, or to be signed by them (or their representative)."""
    return document.status == S.WAITING_CLIENT or (
        document.status == S.WAITING_SIGNATURES and "client" in workflow.missing_signers(document))


def portal_documents(access: ClientAccess) -> tuple[list[Document], list[Document]]:
    """(waiting for the client, completed) documents of the acted-for client visible to this access."""
    rows = list(db.session.scalars(_list_statement(), {"client_id": access.client_id, "access_id": access.id})
                .unique())
    return [d for d in rows if needs_client(d)], [d for d in rows if d.status == S.COMPLETED]


def get_portal_document_for(access: ClientAccess | None, document_id: int) -> Document:
    """A document of the acted-for client, sent to the portal and visible to this access; else 404."""
    if access is None or not access.active:
        raise DocumentNotFound
    document = db.session.scalars(_query(access).where(Document.id == document_id)).unique().one_or_none()
    if document is None:
        raise DocumentNotFound
    return document


def is_representative(access: ClientAccess) -> bool:
    return not access.is_self


def may_sign(access: ClientAccess, document: Document) -> bool:
    """The client themself, or a representative whose access allows signing on a form that allows it."""
    if not is_representative(access):
        return True
    return bool(access.active and access.can_sign and document.template_version.representative_may_sign)


def capacity_text(account, access: ClientAccess, typed_name: str) -> str:
    """"Maria Lopez, client" or "Ana Delgado, mother, for Sam Delgado"."""
    if not is_representative(access):
        return f"{typed_name}, client"
    client = access.client
    return f"{typed_name}, {access.relationship_label or 'representative'}, for {client.first_name} {client.last_name}"


def clean_name(typed_name: str) -> str:
    name = " ".join((typed_name or "").split())
    if not name or len(name) > MAX_TYPED_NAME or has_control_characters(name):
        raise SignatureNameInvalid
    return name


def sign(account, access: ClientAccess, document: Document, typed_name: str, *, ip: str = "", user_agent: str = ""):
    """Sign from the portal: consent in force, allowed to sign, the name typed; completes when last."""
    if current_consent(account) is None:
        raise ConsentRequired
    if not may_sign(access, document):
        raise MaySignNot
    name = clean_name(typed_name)
    kind = SignerKind.REPRESENTATIVE if is_representative(access) else SignerKind.CLIENT
    return workflow.record_signature(account, document, kind, name, capacity_text(account, access, name),
                                     method="typed name on the client portal", ip=ip, user_agent=user_agent,
                                     access=access, statement=PORTAL_INTENT)


def decline(account, access: ClientAccess, document: Document, reason: str, *, ip: str = "", user_agent: str = ""):
    """Decline to sign, with a reason staff read on the document's page."""
    reason = (reason or "").strip()
    if not 1 <= len(reason) <= 1000 or has_control_characters(reason, multiline=True):
        raise SignatureNameInvalid("Say why you do not want to sign (at most 1000 characters).")
    name = account.full_name or access.client.first_name
    kind = SignerKind.REPRESENTATIVE if is_representative(access) else SignerKind.CLIENT
    row = workflow.record_signature(account, document, kind, name, capacity_text(account, access, name),
                                    method="declined on the client portal", ip=ip, user_agent=user_agent,
                                    access=access, declined=True, decline_reason=reason)
    notify_decline(document, account, reason, in_inbox=not row.sender_told)
    return row


def notify_decline(document: Document, account=None, reason: str = "", *, in_inbox: bool = True) -> bool:
    """The staff member who sent the document (else who started it) gets an email with a link to its page
    (no reason, no names in the email, S14: the page shows them) and, in the same transaction, a PORTAL Inbox
    item from the account that declined (its words, a link to the document), unless one was already added."""
    from flask import current_app

    from ..accounts.models import User
    from ..messaging import items
    from ..outbox import enqueue_template

    staff = db.session.get(User, document.sent_by_id or document.started_by_id or -1)
    if staff is None or not staff.enabled:
        return False
    if in_inbox and account is not None:
        title = document.title("en")
        items.tell_staff(items.DOCUMENT, document.id, client_id=document.client_id, staff_ids=[staff.id],
                         account=account, subject=f"Document declined \u2013 {title}",
                         text=f"I declined to sign \u201c{title}\u201d. {reason}".strip(), notify=False)
    if not staff.email:
        return False
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + f"/staff/documents/{document.id}"
    enqueue_template(staff.email, "document_declined_staff", link=link)
    return True
