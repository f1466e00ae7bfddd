"""Changes to referrals: send, change status (any party, by its transitions), notes. Services flush; the caller commits.

Every change writes a history line (ReferralEvent) showing who made it as "First L. (Organization)",
an audit event, and emails the other parties (links only, with a one-tap link: onetap.py).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..accounts.models import User
from ..authz import Permission, can
from ..clients.models import Client
from ..clock import utcnow
from ..errors import DomainError, Forbidden
from ..extensions import db
from ..plaintext import has_control_characters
from ..programs.models import LANGUAGES, Program, ProgramMember
from . import notify
from .models import Referral, ReferralEvent, ReferralNote
from .policy import may_note, parties, referral_consent_problem
from .statuses import ACTIONS, BEST_WAYS, CLAIMER, OUTCOME_LABELS, Action, actions_for

MAX_REASON = 500
MAX_COMMENT = 2000
MAX_NOTE = 2000


class ReferralInvalid(DomainError):
    """A field of the referral or of a change is not acceptable."""


class ConsentNeeded(DomainError):
    """The client's consent to share with this program is missing."""

    status = 409


class TransitionRefused(DomainError):
    """This person may not make this change to the referral in its current status."""

    status = 409
    default_message = ("This change is not possible now: the referral's status may have changed meanwhile. "
                       "Reload the page to see where it stands.")


def person_name(actor: Any) -> str:
    """First name and last initial ("Casey M."); a portal account's own name, else its username."""
    if isinstance(actor, User):
        first, last = actor.first_name, actor.last_name
    else:
        first, _, last = (getattr(actor, "full_name", "") or "").strip().partition(" ")
        if not first:
            return actor.username
    last = last.strip()
    return f"{first} {last[:1].upper()}." if last else first


def who(actor: Any, referral: Referral) -> str:
    """"Casey M. (Riverside Community Services)": the organization of a worker, the program's name for a
    claimer; when both apply, whichever membership came first."""
    name = person_name(actor)
    if not isinstance(actor, User):
        return name
    organization = actor.organization.name if actor.organization is not None else ""
    joined = db.session.scalar(select(ProgramMember.created_at).where(
        ProgramMember.program_id == referral.program_id, ProgramMember.user_id == actor.id))
    if joined is not None and (not organization or joined < actor.created_at):
        organization = referral.program.name
    return f"{name} ({organization})" if organization else name


def _event(actor: Any, referral: Referral, kind: str, via: str, **fields: Any) -> ReferralEvent:
    event = ReferralEvent(referral_id=referral.id, kind=kind, who=who(actor, referral), via=via,
                          user_id=actor.id if isinstance(actor, User) else None,
                          account_id=None if isinstance(actor, User) else actor.id, occurred_at=utcnow(), **fields)
    db.session.add(event)
    return event


def _text(value: str | None, field: str, maximum: int, *, required: str = "", multiline: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ReferralInvalid(required, field=field)
    if len(value) > maximum:
        raise ReferralInvalid(f"Use at most {maximum:,} characters.", field=field)
    if has_control_characters(value, multiline=multiline):
        raise ReferralInvalid("Remove the invisible control characters.", field=field)
    return value


def send_referral(actor: User, client: Client, program: Program, *, contact_name: str, contact_phone: str = "",
                  contact_email: str = "", contact_language: str = "en", best_way: str = "phone",
                  comment: str = "") -> Referral:
    """Refer the client to the program: status "requested"; the program's claimers get an email (a link only)."""
    if not (actor.is_staff and can(actor, Permission.STAFF_REFERRALS, client)):
        raise Forbidden
    if not program.active:
        raise ReferralInvalid("This program is no longer in the directory.")
    problem = referral_consent_problem(client, program)
    if problem:
        raise ConsentNeeded(problem)
    if best_way not in BEST_WAYS:
        raise ReferralInvalid("Choose the best way to reach the person.", field="best_way")
    if contact_language not in LANGUAGES:
        raise ReferralInvalid("Choose a language from the list.", field="contact_language")
    email = _text(contact_email, "contact_email", 254, multiline=False)
    if email and ("@" not in email or any(ch.isspace() for ch in email)):
        raise ReferralInvalid("Enter an email address like name@example.org.", field="contact_email")
    if best_way == "email" and not email:
        raise ReferralInvalid("Enter an email address to reach the person by email.", field="contact_email")
    phone = _text(contact_phone, "contact_phone", 40, multiline=False)
    if best_way in ("text", "phone") and not phone:
        raise ReferralInvalid("Enter a phone number to reach the person by phone or text.", field="contact_phone")
    now = utcnow()
    referral = Referral(agency_id=client.organization_id, client=client, helper_id=actor.id, program=program,
                        status="requested",
                        contact_name=_text(contact_name, "contact_name", 200, required="Enter the person's name.",
                                           multiline=False),
                        contact_phone=phone, contact_email=email, contact_language=contact_language,
                        best_way=best_way, comment=_text(comment, "comment", MAX_COMMENT),
                        created_at=now, status_changed_at=now)
    db.session.add(referral)
    db.session.flush()
    _event(actor, referral, "sent", "dashboard", to_status="requested")
    audit.record("referral.sent", actor, obj=referral, client_id=client.id, details={"program_id": program.id})
    notify.referral_sent(referral)
    db.session.flush()
    return referral


def allowed_actions(actor: Any, referral: Referral) -> list[Action]:
    """The changes this person may make to the referral now (the transitions table, statuses.ACTIONS)."""
    return actions_for(parties(actor, referral), referral.status)


def change_status(actor: Any, referral: Referral, action_name: str, *, reason: str = "", outcome: str = "",
                  via: str = "dashboard") -> ReferralEvent:
    """Make one change of the transitions table; rejected, cancelled, on-hold and failed need a reason."""
    action = ACTIONS.get(action_name)
    if action is None or action not in allowed_actions(actor, referral):
        raise TransitionRefused
    reason = _text(reason, "reason", MAX_REASON)
    if action.needs_reason and not reason:
        raise ReferralInvalid("Say why (the other parties read it).", field="reason")
    outcome = action.fixed_outcome or (outcome or "")
    if outcome and outcome not in (action.outcomes or (action.fixed_outcome,)):
        raise ReferralInvalid("Choose an outcome from the list.", field="outcome")
    before = referral.status
    referral.status = action.leads_to(before)
    if action.target is not None:
        referral.status_reason = reason or OUTCOME_LABELS.get(action.fixed_outcome, "")
        referral.status_changed_at = utcnow()
    if outcome:
        referral.outcome = outcome
    try:
        db.session.flush()
    except StaleDataError as err:  # another party changed it between our read and our write
        raise TransitionRefused from err
    event = _event(actor, referral, "status" if action.target else "outcome", via, from_status=before,
                   to_status=referral.status, outcome=outcome, reason=reason)
    db.session.flush()
    audit.record("referral.status_changed", actor, obj=referral, client_id=referral.client_id,
                 details={"action": action.name, "from": before, "to": referral.status, "via": via})
    notify.referral_changed(referral, actor)
    return event


def add_note(actor: User, referral: Referral, body: str) -> ReferralNote:
    """Add a note (the helper and the claimers); it cannot be edited afterwards."""
    if not may_note(actor, referral):
        raise Forbidden("Only the person who sent the referral and the program's claimers add notes.")
    body = _text(body, "body", MAX_NOTE, required="Write the note.")
    note = ReferralNote(referral_id=referral.id, author_id=actor.id, who=who(actor, referral), body=body,
                        created_at=utcnow())
    db.session.add(note)
    _event(actor, referral, "note_added", "dashboard")
    db.session.flush()
    audit.record("referral.note_added", actor, obj=note, client_id=referral.client_id)
    return note


def delete_note(actor: User, referral: Referral, note: ReferralNote) -> None:
    """The author deletes their note: its text goes; "note deleted by ..." stays in the history and the audit."""
    if note.author_id != actor.id or not may_note(actor, referral):
        raise Forbidden("Only the note's author deletes it.")
    note.body = ""
    note.deleted_at = utcnow()
    _event(actor, referral, "note_deleted", "dashboard")
    db.session.flush()
    audit.record("referral.note_deleted", actor, obj=note, client_id=referral.client_id)


def record_view(actor: Any, referral: Referral, page: str) -> None:
    """A referral is part of the client's record: showing it is an audited view (S13)."""
    audit.record("referral.viewed", actor, obj=referral, client_id=referral.client_id, details={"page": page})


def is_claimer_of(actor: Any, referral: Referral) -> bool:
    return CLAIMER in parties(actor, referral)
