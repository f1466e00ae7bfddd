"""Walk-ins (Inbound Referrals): a claimer records a person who came to the program themselves — a self-referral
with their name, phone or email, best way to reach them and a comment, and no agency client record (Referral
with client None, walk_in on, agency_id the program's organization, helper the claimer). It then follows the
same statuses as any referral; the program's side works it."""
from __future__ import annotations

from typing import Any

from .. import audit
from ..clock import utcnow
from ..errors import Forbidden
from ..extensions import db
from ..programs.models import LANGUAGES, Program
from .models import Referral
from .policy import is_claimer
from .services import ReferralInvalid, _event, _text
from .statuses import BEST_WAYS


def record_walk_in(actor: Any, program: Program, *, contact_name: str, contact_phone: str = "",
                   contact_email: str = "", contact_language: str = "en", best_way: str = "phone",
                   comment: str = "") -> Referral:
    """A walk-in to a program the actor claims for: status "requested", listed under Inbound Referrals."""
    if not is_claimer(actor, program.id):
        raise Forbidden
    name = _text(contact_name, "contact_name", 200, required="Enter the person's name.", multiline=False)
    phone = _text(contact_phone, "contact_phone", 40, multiline=False)
    email = _text(contact_email, "contact_email", 254, multiline=False)
    if email and ("@" not in email or any(ch.isspace() for ch in email)):
        raise ReferralInvalid("Enter an email address like name@example.org.", field="contact_email")
    if best_way not in BEST_WAYS:
        raise ReferralInvalid("Choose the best way to reach the person.", field="best_way")
    if contact_language not in LANGUAGES:
        raise ReferralInvalid("Choose a language from the list.", field="contact_language")
    if not (phone or email):
        raise ReferralInvalid("Enter a phone number or an email address to reach the person.", field="contact_phone")
    if best_way == "email" and not email:
        raise ReferralInvalid("Enter an email address to reach the person by email.", field="contact_email")
    if best_way in ("text", "phone") and not phone:
        raise ReferralInvalid("Enter a phone number to reach the person by phone or text.", field="contact_phone")
    now = utcnow()
    referral = Referral(agency_id=program.organization_id, client_id=None, walk_in=True, helper_id=actor.id,
                        program=program, status="requested", contact_name=name, contact_phone=phone,
                        contact_email=email, contact_language=contact_language, best_way=best_way,
                        comment=_text(comment, "comment", 2000), created_at=now, status_changed_at=now)
    db.session.add(referral)
    db.session.flush()
    _event(actor, referral, "sent", "walk-in", to_status="requested")
    audit.record("referral.walk_in", actor, obj=referral, details={"program_id": program.id})
    db.session.flush()
    return referral
