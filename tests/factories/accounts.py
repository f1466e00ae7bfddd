"""Organizations and staff/partner users: each factory makes a valid row with sensible defaults, flushed, not committed."""
from __future__ import annotations

import itertools

from portal_app.accounts.models import AgencyPartner, Organization, User
from portal_app.extensions import db
from portal_app.passwords import hash_password

DEFAULT_PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _hash(password: str) -> str:
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


def agency(name: str | None = None, **kw) -> Organization:
    org = Organization(
        name=name or f"Agency {next(_seq)}",
        kind="agency",
        module_client_portal=True,
        module_messaging=True,
        module_kiosk=True,
        module_referrals=True,
        **kw,
    )
    db.session.add(org)
    db.session.flush()
    return org


def partner_organization(name: str | None = None, agency: Organization | None = None, **kw) -> Organization:
    """A partner organization; with `agency`, managed by that agency and working with it."""
    kw.setdefault("sharing_enabled", True)
    kw.setdefault("contact_name", "Pat Partner")
    kw.setdefault("contact_email", f"contact{next(_seq)}@partner.test")
    org = Organization(name=name or f"Partner {next(_seq)}", kind="partner",
                       managing_agency_id=agency.id if agency else None, **kw)
    db.session.add(org)
    db.session.flush()
    if agency is not None:
        link(agency, org)
    return org


def link(agency: Organization, partner: Organization) -> AgencyPartner:
    """The agency works with the partner organization (once)."""
    from sqlalchemy import select

    row = db.session.scalar(select(AgencyPartner).where(AgencyPartner.agency_id == agency.id,
                                                        AgencyPartner.partner_id == partner.id))
    if row is not None:
        return row
    row = AgencyPartner(agency_id=agency.id, partner_id=partner.id)
    db.session.add(row)
    db.session.flush()
    return row


def user(org: Organization, role: str = "case_manager", email: str | None = None,
         password: str = DEFAULT_PASSWORD, **kw) -> User:
    n = next(_seq)
    person = User(
        email=email or f"user{n}@example.test",
        password_hash=_hash(password),
        first_name=kw.pop("first_name", f"First{n}"),
        last_name=kw.pop("last_name", f"Last{n}"),
        organization=org,
        role=role,
        **kw,
    )
    db.session.add(person)
    db.session.flush()
    return person


def tampered(token: str) -> str:
    """The token with the first character of its signature changed.

    That character carries six whole bits of the signature's first byte, so the decoded signature
    always differs (changing the last character may only flip padding bits and leave it valid).
    """
    body, _, signature = token.rpartition(".")
    return f"{body}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"


def operators() -> Organization:
    """The deployment operators' own organization (no clients, no seats)."""
    from sqlalchemy import select

    org = db.session.scalar(select(Organization).where(Organization.kind == "operator"))
    if org is None:
        org = Organization(name="Deployment operators", kind="operator")
        db.session.add(org)
        db.session.flush()
    return org
