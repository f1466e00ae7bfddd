"""The tablet's side of a hand-off: the welcome screen's poll, the birth-date check, filling, signing,
finishing, and wiping (idle, ended by staff, three wrong birth dates).

The tablet (a KioskDevice) is the actor of every step; its own in-progress hand-off is found by the
device, never by an id the browser sends, so a browser can only ever reach the one it is showing.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit
from ..accounts.models import User
from ..clock import as_utc, utcnow
from ..documents import workflow
from ..documents.answers import AnswerCheck
from ..documents.portal_documents import clean_name
from ..documents.records import Document, DocumentStatus, SignerKind
from ..extensions import db
from ..plaintext import has_control_characters
from .errors import KioskError
from .handoffs import notify_completed, release
from .models import HandoffStatus, KioskDevice, KioskHandoff
from .policy import may_fill_on_kiosk

H = HandoffStatus
IDLE_LIMIT = timedelta(minutes=3)
MAX_DOB_TRIES = 3
# What the signer affirms by ticking the box (ES-INTENT, ES-CONSENT): shown beside it, stored with the signature.
KIOSK_INTENT = ("I agree to sign this document electronically on this tablet, and I mean my typed name as my "
                "signature. I can ask the front desk for a paper copy instead.")


def initials(handoff: KioskHandoff) -> str:
    """"S. D.": all the welcome screen says about whose form it is."""
    client = handoff.client
    return " ".join(f"{name[0].upper()}." for name in (client.first_name, client.last_name) if name)


def waiting_handoff(device: KioskDevice) -> KioskHandoff | None:
    """The poll: the oldest hand-off waiting at the tablet's location, for it or any tablet there (one
    indexed query, the client's names joined for the initials)."""
    return db.session.scalar(
        select(KioskHandoff).options(joinedload(KioskHandoff.client))
        .where(KioskHandoff.location_id == device.location_id, KioskHandoff.status == H.PENDING,
               KioskHandoff.organization_id == device.organization_id, KioskHandoff.held.is_(False),
               KioskHandoff.expires_at > utcnow(),
               or_(KioskHandoff.device_id.is_(None), KioskHandoff.device_id == device.id))
        .order_by(KioskHandoff.created_at, KioskHandoff.id).limit(1))


def current_handoff(device: KioskDevice) -> KioskHandoff | None:
    """The hand-off this tablet is showing a client now, if any."""
    return db.session.scalar(
        select(KioskHandoff).options(joinedload(KioskHandoff.client),
                                     joinedload(KioskHandoff.document).joinedload(Document.template_version))
        .where(KioskHandoff.active_device_id == device.id, KioskHandoff.status == H.IN_PROGRESS).limit(1))


def is_idle(handoff: KioskHandoff) -> bool:
    last = as_utc(handoff.last_activity_at or handoff.started_at)
    return last is None or utcnow() - last >= IDLE_LIMIT


def _audit(action: str, device: KioskDevice, handoff: KioskHandoff, **details: Any) -> None:
    audit.record(f"kiosk.{action}", device, obj=handoff, client_id=handoff.client_id,
                 details={"device": device.name, "document": handoff.document_id, **details})


def wipe(device: KioskDevice, handoff: KioskHandoff, reason: str, *, staff: User | None = None) -> None:
    """The tablet forgets the client: the hand-off goes back to staff (pending, held) to resend."""
    release(handoff, held=True)
    if staff is not None:
        handoff.ended_by_id = staff.id
    db.session.flush()
    _audit("session_wiped", device, handoff, reason=reason, **({"staff": staff.id} if staff else {}))


def touch(device: KioskDevice, handoff: KioskHandoff) -> None:
    """Activity on the tablet (a step, or typing): the idle clock starts again.

    A plain UPDATE of the one column, outside the hand-off's version check: the typing heartbeat and a save
    of the answers arrive together, and the latest time is right whichever lands last (a versioned write
    here made the other request fail as a concurrent change)."""
    now = utcnow()
    table = KioskHandoff.__table__
    db.session.execute(update(table).where(table.c.id == handoff.id).values(last_activity_at=now))
    set_committed_value(handoff, "last_activity_at", now)


def _birth_date(text: str) -> date | None:
    text = (text or "").strip()
    if len(text) != 10 or has_control_characters(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def confirm_birth_date(device: KioskDevice, handoff_id: int | None, birth_date: str) -> str:
    """The client confirms their date of birth before anything else shows. Returns "ok", "wrong" (try
    again), "locked" (third wrong try: back to staff, audited) or "gone" (no longer waiting here)."""
    handoff = current_handoff(device)
    if handoff is None:
        waiting = waiting_handoff(device)
        if waiting is None or waiting.id != handoff_id or not may_fill_on_kiosk(device, waiting):
            return "gone"
        now = utcnow()
        claimed = db.session.execute(  # two tablets at one location: the first to answer takes it
            update(KioskHandoff).where(KioskHandoff.id == waiting.id, KioskHandoff.status == H.PENDING)
            .values(status=H.IN_PROGRESS, active_device_id=device.id, step="verify", started_at=now,
                    last_activity_at=now, version_id=KioskHandoff.version_id + 1)).rowcount
        if not claimed:
            return "gone"
        db.session.refresh(waiting)
        handoff = waiting
        _audit("session_started", device, handoff)
    if handoff.step != "verify":
        return "ok"
    given = _birth_date(birth_date)
    if given is not None and handoff.client.date_of_birth == given:
        handoff.step = "fill" if handoff.document.status == DocumentStatus.WAITING_CLIENT else "sign"
        touch(device, handoff)
        _audit("identity_confirmed", device, handoff)
        return "ok"
    handoff.dob_attempts += 1
    _audit("birth_date_refused", device, handoff, attempt=handoff.dob_attempts)
    if handoff.dob_attempts >= MAX_DOB_TRIES:
        wipe(device, handoff, "birth_date")
        return "locked"
    touch(device, handoff)
    return "wrong"


def save_answers(device: KioskDevice, handoff: KioskHandoff, submitted: Mapping, *, lang: str,
                 today: date) -> AnswerCheck:
    """Check and keep the answers (the documents workflow, as on the portal); then the signing step, or
    finished when the form asks for no signature. Raises AnswersInvalid with a sentence per field."""
    check = workflow.save_answers(device, handoff.document, submitted, submit=True, lang=lang, today=today)
    touch(device, handoff)
    if handoff.document.status == DocumentStatus.COMPLETED:
        finish(device, handoff)
    else:
        handoff.step = "sign"
        db.session.flush()
    return check


def may_sign_for(handoff: KioskHandoff) -> bool:
    """Whether a representative present may sign for the client on this form."""
    return bool(handoff.document.template_version.representative_may_sign)


def sign(device: KioskDevice, handoff: KioskHandoff, typed_name: str, *, representative: bool = False,
         relationship: str = "", ip: str = "", user_agent: str = "") -> None:
    """Sign by typed name (the client, or a representative present typing their name and capacity); the
    method and the audit name the tablet. Then the hand-off is finished."""
    name = clean_name(typed_name)
    client = handoff.client
    if representative:
        relationship = " ".join((relationship or "").split())
        if not may_sign_for(handoff):
            raise KioskError("A representative cannot sign this form for the client. The client signs it.",
                             field="representative")
        if not 2 <= len(relationship) <= 80 or has_control_characters(relationship):
            raise KioskError("Say how you are related to the person (for example: mother, guardian).",
                             field="relationship")
        kind, capacity = SignerKind.REPRESENTATIVE, f"{name}, {relationship}, for {client.first_name} {client.last_name}"
    else:
        kind, capacity = SignerKind.CLIENT, f"{name}, client"
    workflow.record_signature(device, handoff.document, kind, name, capacity,
                              method=f"typed name on kiosk \u201c{device.name}\u201d"[:80], ip=ip,
                              user_agent=user_agent, statement=KIOSK_INTENT)
    finish(device, handoff)


def finish(device: KioskDevice, handoff: KioskHandoff) -> None:
    """Completed at the tablet: the staff member who handed it off is told (link only); the tablet wipes."""
    handoff.status, handoff.step, handoff.active_device_id = H.COMPLETED, "", None
    handoff.ended_at = utcnow()
    db.session.flush()
    _audit("handoff_completed", device, handoff, document_status=handoff.document.status)
    notify_completed(handoff)


def end_by_staff(device: KioskDevice, handoff: KioskHandoff, staff: User) -> None:
    """A staff member of the tablet's agency ended the session with their own sign-in."""
    if staff.organization_id != device.organization_id or not staff.is_staff:
        raise KioskError("Only staff of this agency can end a session on this tablet.", field="email")
    wipe(device, handoff, "ended_by_staff", staff=staff)
    audit.record("kiosk.session_ended_by_staff", staff, obj=handoff, client_id=handoff.client_id,
                 details={"device": device.name})
