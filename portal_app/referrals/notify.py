"""Emails about referrals (S14: links only, nothing about the client), each with the recipient's one-tap link."""
from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from ..accounts.models import Role, User
from ..extensions import db
from ..outbox import enqueue_template
from ..sharing.part2 import PART2_NOTICE
from .models import Referral


def _base() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def dashboard_link(referral: Referral, person: Any) -> str:
    """Where this person sees the referral after signing in."""
    if not isinstance(person, User):
        return f"{_base()}/portal/referrals"
    site = "partner" if person.role == Role.PARTNER else "staff"
    return f"{_base()}/{site}/referrals/{referral.id}"


def _seeker_accounts(referral: Referral) -> list:
    from ..portal_access.models import ClientAccess, PortalAccount

    return list(db.session.scalars(select(PortalAccount).join(ClientAccess, ClientAccess.account_id == PortalAccount.id)
                                   .where(ClientAccess.client_id == referral.client_id, ClientAccess.active)
                                   .order_by(PortalAccount.id)))


def _send(referral: Referral, person: Any, template: str) -> None:
    from .onetap import issue_link
    from .services import allowed_actions

    address = (getattr(person, "email", "") or "").strip()
    if not address or not getattr(person, "enabled", True):
        return
    one_tap = issue_link(referral, person, allowed_actions(person, referral))
    language = getattr(person, "language", "en") if not isinstance(person, User) else "en"
    part2 = isinstance(person, User) and referral.part2_protected and person.organization_id != referral.agency_id
    enqueue_template(address, template, language=language, link=dashboard_link(referral, person), one_tap=one_tap,
                     part2=part2, part2_notice=PART2_NOTICE)


def referral_sent(referral: Referral) -> None:
    """The program's claimers hear of a new referral."""
    from .queries import claimers_of

    for claimer in claimers_of(referral.program_id):
        _send(referral, claimer, "referral_new")


def referral_changed(referral: Referral, actor: Any) -> None:
    """The other parties hear that the referral changed: the helper, the claimers, the seeker's accounts."""
    from .queries import claimers_of

    people: list[Any] = [referral.helper, *claimers_of(referral.program_id), *_seeker_accounts(referral)]
    seen = set()
    for person in people:
        key = (isinstance(person, User), person.id)
        if key in seen or (type(person) is type(actor) and person.id == actor.id):
            continue
        seen.add(key)
        _send(referral, person, "referral_updated")
