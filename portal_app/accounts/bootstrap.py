"""The first administrator of an empty deployment."""
from __future__ import annotations

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..passwords import hash_password
from .models import Organization, OrganizationKind, Role, User
from .services import find_user_by_email, validate_password


class AdminExists(Exception):
    """An administrator already exists: use Account Administration instead."""

    def __str__(self) -> str:
        return "An administrator already exists; add more users from Account Administration."


def create_first_admin(email: str, password: str, first: str, last: str, agency_name: str) -> User:
    """Create the agency (if missing) and its first administrator; flushes."""
    if db.session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1)) is not None:
        raise AdminExists
    email = email.strip()
    if "@" not in email or len(email) > 254:
        raise ValueError("Enter a valid email address.")
    if find_user_by_email(email) is not None:
        raise ValueError("A user with that email address already exists.")
    validate_password(password)
    agency = db.session.scalar(select(Organization).where(Organization.name == agency_name.strip()))
    if agency is None:
        agency = Organization(name=agency_name.strip(), kind=OrganizationKind.AGENCY)
        db.session.add(agency)
    user = User(
        email=email,
        password_hash=hash_password(password),
        first_name=first.strip(),
        last_name=last.strip(),
        organization=agency,
        role=Role.ADMIN,
        perm_client_portal=True,
        perm_messaging=True,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("account.admin_bootstrapped", object_type="User", object_id=user.id, site="cli")
    return user


OPERATORS_ORGANIZATION = "Deployment operators"


def create_operator(email: str, password: str, first: str, last: str) -> User:
    """A deployment operator: signs in on /staff, creates agencies, sees no client data; flushes."""
    email = email.strip()
    if "@" not in email or len(email) > 254:
        raise ValueError("Enter a valid email address.")
    if find_user_by_email(email) is not None:
        raise ValueError("A user with that email address already exists.")
    validate_password(password)
    home = db.session.scalar(select(Organization).where(Organization.kind == OrganizationKind.OPERATOR))
    if home is None:
        home = Organization(name=OPERATORS_ORGANIZATION, kind=OrganizationKind.OPERATOR)
        db.session.add(home)
    user = User(email=email, password_hash=hash_password(password), first_name=first.strip(),
                last_name=last.strip(), organization=home, role=Role.OPERATOR)
    db.session.add(user)
    db.session.flush()
    audit.record("account.operator_created", object_type="User", object_id=user.id, site="cli")
    return user
