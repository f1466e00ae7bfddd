"""Portal test data: accounts, their accesses to clients, and clients (flushed, not committed).

Rows are written directly, without the services, so that no audit event or email comes with them.
"""
from __future__ import annotations

import itertools

from portal_app.accounts.models import Organization
from portal_app.clients.models import Client
from portal_app.extensions import db
from portal_app.portal_access.models import ClientAccess, PortalAccount, Relationship
from tests.factories import _hash

PASSWORD = "portal passphrase 2026"
_seq = itertools.count(1)


def account(username: str | None = None, password: str = PASSWORD, email: str | None = None, **kw) -> PortalAccount:
    n = next(_seq)
    row = PortalAccount(
        username=username or f"person{n}",
        email=email or f"person{n}@family.test",
        password_hash=_hash(password),
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    return row


def client(agency: Organization, **kw) -> Client:
    n = next(_seq)
    kw.setdefault("first_name", f"Kid{n}")
    kw.setdefault("last_name", f"Family{n}")
    row = Client(organization=agency, **kw)
    db.session.add(row)
    db.session.flush()
    return row


def access(account: PortalAccount, client: Client, relationship: str = Relationship.REPRESENTATIVE,
           label: str = "", **kw) -> ClientAccess:
    """`account` may act for `client`: as the client (relationship "self") or as a representative."""
    row = ClientAccess(account=account, client=client, relationship_kind=relationship, relationship_label=label, **kw)
    db.session.add(row)
    db.session.flush()
    return row
