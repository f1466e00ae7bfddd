"""Partner-site test data: clients, photos, shares, care teams and contacts (flushed, not committed).

Rows are written directly, without the services, so that no audit event or email comes with them.
"""
from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from portal_app.accounts.models import Organization, User
from portal_app.clients.avatars import generate_avatar
from portal_app.clients.models import CareTeamMember, Client
from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.files import StoredFile, store_bytes
from portal_app.sharing.models import ClientShare, Contact, ContactSource

_seq = itertools.count(1)


def client(agency: Organization, **kw) -> Client:
    n = next(_seq)
    kw.setdefault("first_name", f"Avery{n}")
    kw.setdefault("last_name", f"Client{n}")
    kw.setdefault("date_of_birth", date(1988, 7, 23))
    kw.setdefault("phone", "541-555-0142")
    kw.setdefault("email", f"client{n}@example.org")
    kw.setdefault("address", "12 Alder Street\nEugene, OR")
    kw.setdefault("zip_code", "97401")
    person = Client(organization=agency, **kw)
    db.session.add(person)
    db.session.flush()
    return person


def photo(seed: int = 1) -> StoredFile:
    """A real PNG in file storage (a generated avatar)."""
    return store_bytes(generate_avatar("PH", seed), "image/png", "photo.png")


def care_team(client: Client, user: User, role: str = "Primary case manager") -> CareTeamMember:
    member = CareTeamMember(client=client, user=user, role=role)
    db.session.add(member)
    db.session.flush()
    return member


def share(client: Client, organization: Organization, shared_by: User, note: str = "Weekly counseling.",
          **kw) -> ClientShare:
    """An active share of `client` with `organization` (revoked when revoked_at is given)."""
    row = ClientShare(client=client, organization=organization, shared_by_id=shared_by.id, note=note, **kw)
    db.session.add(row)
    db.session.flush()
    return row


def contact(client: Client, author: User, *, occurred_at: datetime | None = None, method: str = "phone",
            notes: str = "Talked about the week.", location: str = "", reviewed_by: User | None = None) -> Contact:
    """A contact by `author`: third party when the author is a partner user, staff otherwise."""
    row = Contact(
        client=client,
        author_id=author.id,
        organization_id=author.organization_id,
        occurred_at=occurred_at or utcnow() - timedelta(hours=2),
        method=method,
        location=location,
        notes=notes,
        source=ContactSource.STAFF if author.is_staff else ContactSource.THIRD_PARTY,
        reviewed_by_id=reviewed_by.id if reviewed_by else None,
        reviewed_at=utcnow() if reviewed_by else None,
    )
    db.session.add(row)
    db.session.flush()
    return row
