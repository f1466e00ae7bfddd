"""A signature recorded in person: the client (or a representative allowed to sign) is at the desk and signs
on the staff member's screen by typing their name; the record says "in person, in the presence of <staff>"."""
from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..portal_access.models import ClientAccess
from .errors import DocumentError, WrongStatus
from .records import Document, DocumentSignature, DocumentStatus, SignerKind
from .services import ensure_can_e_sign

IN_PERSON = "in person"


class InPersonSignerInvalid(DocumentError):
    field = "signer"
    status = 422
    default_message = "Choose who is signing: the client, or a representative allowed to sign this form."


def presence_statement(staff: User) -> str:
    """What the record and the PDF say about the witness."""
    return f"Signed in person in the presence of {staff.display_name}, {staff.organization.name}."


def in_person_signers(document: Document) -> list[tuple[str, str]]:
    """(value, label) of who may sign at the desk: the client, and each active representative allowed to sign
    (when the form lets a representative sign)."""
    client = document.client
    choices = [("client", f"{client.first_name} {client.last_name} (the client)")]
    if document.template_version.representative_may_sign:
        reps = db.session.scalars(select(ClientAccess).where(
            ClientAccess.client_id == client.id, ClientAccess.active, ClientAccess.can_sign.is_(True),
            ClientAccess.relationship_kind != "self").order_by(ClientAccess.id))
        whose = f"{client.first_name} {client.last_name}"
        choices += [(f"access:{a.id}", (f"{a.relationship_label or 'representative'} of {whose} "
                     f"({a.account.full_name or a.account.username})")) for a in reps]
    return choices


def sign_in_person(actor: User, document: Document, signer: str, typed_name: str, *, ip: str = "",
                   user_agent: str = "") -> DocumentSignature:
    """The client's (or representative's) signature taken at the desk, method "in person", the staff member
    recorded as the witness; completes the document when it was the last signature needed."""
    from .workflow import _check_name, missing_signers, record_signature

    if document.status != DocumentStatus.WAITING_SIGNATURES or "client" not in missing_signers(document):
        raise WrongStatus("This document is not waiting for the client's signature.")
    ensure_can_e_sign(document.template_version)
    if signer not in dict(in_person_signers(document)):
        raise InPersonSignerInvalid
    name = _check_name(typed_name)
    client = document.client
    if signer == "client":
        kind, access, capacity = SignerKind.CLIENT, None, f"{name}, client"
    else:
        kind, access = SignerKind.REPRESENTATIVE, db.session.get(ClientAccess, int(signer.split(":", 1)[1]))
        capacity = f"{name}, {access.relationship_label or 'representative'}, for {client.first_name} {client.last_name}"
    return record_signature(actor, document, kind, name, capacity, method=IN_PERSON, ip=ip, user_agent=user_agent,
                            staff=actor, access=access, statement=presence_statement(actor))
