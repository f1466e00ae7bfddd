"""Sharing test data: service providers, shares and contacts (flushed, not committed).

Rows are written directly, without the services, so that no audit event or email comes with them.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from portal_app.accounts.models import Organization, User
from portal_app.clients.models import Client
from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.sharing.models import (
    ClientShare,
    Contact,
    ContactSource,
    ServiceProvider,
)
from tests.factories import accounts as factories

def provider(client: Client, organization: Organization | None = None, service: str = "Counseling",
             added_by: User | None = None) -> ServiceProvider:
    """A service provider on the client's plan (a new sharing-enabled partner organization by default);
    the client's agency works with the organization."""
    organization = organization or factories.partner_organization(agency=client.organization)
    factories.link(client.organization, organization)
    row = ServiceProvider(client=client, organization=organization,
                          service=service, added_by_id=added_by.id if added_by else None)
    db.session.add(row)
    db.session.flush()
    return row


def share(client: Client, organization: Organization, shared_by: User, note: str = "Weekly sessions.",
          **kw) -> ClientShare:
    """An active share (revoked when revoked_at/revoked_by_id are given)."""
    row = ClientShare(client=client, organization=organization, shared_by_id=shared_by.id, note=note, **kw)
    db.session.add(row)
    db.session.flush()
    return row


def contact(client: Client, author: User, *, occurred_at: datetime | None = None, method: str = "phone",
            notes: str = "Talked about the week.", reviewed_by: User | None = None, flush: bool = True,
            **kw) -> Contact:
    """A contact by `author`: third party when the author is a partner user, staff otherwise."""
    row = Contact(
        client=client,
        author_id=author.id,
        organization_id=author.organization_id,
        occurred_at=occurred_at or utcnow() - timedelta(hours=1),
        method=method,
        notes=notes,
        source=ContactSource.STAFF if author.is_staff else ContactSource.THIRD_PARTY,
        reviewed_by_id=reviewed_by.id if reviewed_by else None,
        reviewed_at=utcnow() if reviewed_by else None,
        **kw,
    )
    db.session.add(row)
    if flush:
        db.session.flush()
    return row


def pending_contacts(client: Client, author: User, n: int) -> list[Contact]:
    """`n` third-party contacts awaiting review, one minute apart, added in one flush."""
    start = utcnow() - timedelta(days=1)
    rows = [contact(client, author, occurred_at=start + timedelta(minutes=i), notes=f"Session {i}\nsecond line",
                    flush=False) for i in range(n)]
    db.session.flush()
    return rows
