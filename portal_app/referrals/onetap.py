"""One-tap email links (S5): signed, single use, 14 days, bound to one referral, one person and the changes
that person could make when it was sent. Opening one (GET) only shows a confirm page; the POST changes once.
"""
from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import update

from ..accounts.models import User
from ..clock import as_utc, utcnow
from ..errors import DomainError
from ..extensions import db
from ..tokens import TokenExpired, TokenInvalid, make_token, read_token
from .models import Referral, ReferralEvent, ReferralLink
from .statuses import ACTIONS, Action

LINK_DAYS = 14
PURPOSE = "referral-action"
TOKEN_MAX_AGE = int(timedelta(days=LINK_DAYS + 1).total_seconds())  # the row's expires_at decides


class LinkProblem(DomainError):
    """The link cannot be used; `kind` says why (invalid, expired, used, stale)."""

    status = 400
    kind = "invalid"
    default_message = "This link does not work. Sign in to see the referral."

    def __init__(self, kind: str = "invalid", message: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind


def issue_link(referral: Referral, person: Any, actions: list[Action]) -> str | None:
    """The URL of a new one-tap link for this person's current actions; None when they have none."""
    if not actions:
        return None
    now = utcnow()
    link = ReferralLink(referral_id=referral.id, nonce=secrets.token_hex(16),
                        user_id=person.id if isinstance(person, User) else None,
                        account_id=None if isinstance(person, User) else person.id,
                        actions=" ".join(a.name for a in actions), created_at=now,
                        expires_at=now + timedelta(days=LINK_DAYS))
    db.session.add(link)
    db.session.flush()
    token = make_token(PURPOSE, {"l": link.id, "n": link.nonce})
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/links/referral/{token}"


def open_link(token: str) -> ReferralLink:
    """The link behind a token, if it is genuine, unexpired and unused; else LinkProblem."""
    try:
        payload = read_token(PURPOSE, token, TOKEN_MAX_AGE)
    except TokenExpired as err:
        raise LinkProblem("expired") from err
    except TokenInvalid as err:
        raise LinkProblem("invalid") from err
    link = db.session.get(ReferralLink, payload.get("l")) if isinstance(payload, dict) else None
    if link is None or not secrets.compare_digest(link.nonce, str(payload.get("n", ""))):
        raise LinkProblem("invalid")
    if link.used_at is not None:
        raise LinkProblem("used")
    if as_utc(link.expires_at) <= utcnow():
        raise LinkProblem("expired")
    return link


def link_person(link: ReferralLink) -> Any:
    """The person the link was sent to (a staff or partner user, or a portal account)."""
    from ..portal_access.models import PortalAccount

    return db.session.get(User, link.user_id) if link.user_id else db.session.get(PortalAccount, link.account_id)


def link_actions(link: ReferralLink, person: Any) -> list[Action]:
    """The link's actions that the person may still take now (the referral may have moved on)."""
    from .services import allowed_actions

    if person is None or not getattr(person, "enabled", True):
        return []
    allowed = {a.name for a in allowed_actions(person, link.referral)}
    return [ACTIONS[name] for name in link.actions.split() if name in allowed]


def use_link(link: ReferralLink, action_name: str, *, reason: str = "", outcome: str = "") -> ReferralEvent:
    """Make the change once: the link is marked used in the same statement that checks it is unused."""
    from .services import change_status

    person = link_person(link)
    if action_name not in {a.name for a in link_actions(link, person)}:
        raise LinkProblem("stale", "This change is no longer possible from this link. Sign in to see the referral.")
    event = change_status(person, link.referral, action_name, reason=reason, outcome=outcome, via="email")
    marked = db.session.execute(update(ReferralLink).where(ReferralLink.id == link.id, ReferralLink.used_at.is_(None))
                                .values(used_at=utcnow()))
    if marked.rowcount != 1:
        raise LinkProblem("used")
    return event
