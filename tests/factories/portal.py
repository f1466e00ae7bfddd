"""Portal test data: accounts, their accesses to clients, invitations (flushed, not committed; no audit, no email)."""
from __future__ import annotations

import itertools
import secrets
from datetime import timedelta

from portal_app.accounts.models import User
from portal_app.clients.models import Client
from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.portal_access.models import ClientAccess, Invitation, PortalAccount, Relationship
from tests.factories.accounts import _hash

PASSWORD = "portal passphrase 2026"
_seq = itertools.count(1)


def account(username: str | None = None, password: str = PASSWORD, email: str | None = None,
            **kw) -> PortalAccount:
    n = next(_seq)
    row = PortalAccount(username=username or f"person{n}", email=email or f"person{n}@example.test",
                        password_hash=_hash(password), **kw)
    db.session.add(row)
    db.session.flush()
    return row


def access(account: PortalAccount, client: Client, relationship: str = Relationship.REPRESENTATIVE,
           label: str = "", can_sign: bool = False, **kw) -> ClientAccess:
    """`account` may act for `client`: as the client (relationship "self") or as a representative."""
    row = ClientAccess(account=account, client=client, relationship_kind=relationship, relationship_label=label,
                       can_sign=can_sign, **kw)
    db.session.add(row)
    db.session.flush()
    return row


def invitation(client: Client, inviter: User, *, email: str = "invitee@example.test", relationship: str = "self",
               label: str = "", can_sign: bool = False, days: int = 7, **kw) -> Invitation:
    row = Invitation(client=client, email=email, relationship_kind=relationship, relationship_label=label,
                     can_sign=can_sign, nonce=secrets.token_hex(16), invited_by_id=inviter.id,
                     created_at=utcnow(), last_sent_at=utcnow(), expires_at=utcnow() + timedelta(days=days), **kw)
    db.session.add(row)
    db.session.flush()
    return row
