"""Organization and User (staff and partner people)."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, false, func, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db_types import PersonName, UTCDateTime
from ..extensions import db
from ..mixins import SignInBookkeeping


class OrganizationKind(StrEnum):
    AGENCY = "agency"
    PARTNER = "partner"
    OPERATOR = "operator"  # the deployment operators' own organization: no clients, no seats


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    CASE_MANAGER = "case_manager"
    PARTNER = "partner"
    OPERATOR = "operator"  # runs the deployment: creates agencies, sees no client data

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.SUPERVISOR: "Supervisor",
    Role.CASE_MANAGER: "Case Manager",
    Role.PARTNER: "Third-Party Organization",
    Role.OPERATOR: "Deployment Operator",
}

# The roles of an agency's own staff; an agency administrator assigns only these and PARTNER.
AGENCY_STAFF_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASE_MANAGER})

# Modules an agency can switch on or off (Agency settings).
MODULES = ("client_portal", "messaging", "kiosk", "referrals")
MODULE_LABELS = {
    "client_portal": "Client Portal",
    "messaging": "Messaging",
    "kiosk": "Kiosk",
    "referrals": "Referrals",
}


class Organization(db.Model):
    """An agency (whose staff use Caseport) or a partner organization."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default=OrganizationKind.PARTNER)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    sharing_enabled: Mapped[bool] = mapped_column(default=False)
    module_client_portal: Mapped[bool] = mapped_column(default=False)
    module_messaging: Mapped[bool] = mapped_column(default=False)
    module_kiosk: Mapped[bool] = mapped_column(default=False)
    module_referrals: Mapped[bool] = mapped_column(default=False)
    # Team referral sharing: anyone in the agency may see, note and update its outbound referrals (else the referrer).
    referral_team_sharing: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Agencies: the licence seats the operator granted (None: the deployment's LICENCE_SEATS).
    licence_seats: Mapped[int | None] = mapped_column(default=None)
    # Partner organizations: the agency whose administrators manage its details and user accounts
    # (other agencies may work with it through AgencyPartner, but never manage it).
    managing_agency_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True, default=None)
    # Agencies: the operator may disable one (its staff cannot sign in, its clients' portal pages say
    # "temporarily unavailable"); nothing is deleted, and enabling it again restores everything.
    enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Agencies: Share Client needs an active release of information naming the partner (roi domain).
    sharing_requires_roi: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    users: Mapped[list[User]] = relationship(back_populates="organization")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("uq_organization_name_lower", func.lower(name), unique=True),)

    @property
    def is_agency(self) -> bool:
        return self.kind == OrganizationKind.AGENCY

    @property
    def is_partner(self) -> bool:
        return self.kind == OrganizationKind.PARTNER

    def module_enabled(self, module: str) -> bool:
        """Whether this agency switched the named module on."""
        return bool(getattr(self, f"module_{module}"))

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.name!r}>"


class User(SignInBookkeeping, UserMixin, PersonName, db.Model):
    """A staff member or a partner organization's user."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    perm_client_portal: Mapped[bool] = mapped_column(default=False)
    perm_messaging: Mapped[bool] = mapped_column(default=False)
    allow_client_contact: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    organization: Mapped[Organization] = relationship(back_populates="users")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("uq_user_account_email_lower", func.lower(email), unique=True),)

    @property
    def site(self) -> str:
        """The site this person signs in to."""
        return "partner" if self.role == Role.PARTNER else "staff"

    @property
    def is_staff(self) -> bool:
        """A member of an agency's staff (the operator is not: it sees no agency's data)."""
        return self.role in AGENCY_STAFF_ROLES

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[Role(self.role)]

    @property
    def is_active(self) -> bool:
        """Flask-Login: a disabled account, or one of a disabled agency, has no session (ends at its next request)."""
        organization = self.organization
        return self.enabled and (organization is None or organization.enabled)

    def get_id(self) -> str:
        """Site-prefixed id carrying the session epoch: bumping it ends every session."""
        return f"{self.site}:{self.id}:{self.session_epoch}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r} {self.role}>"


class AgencyPartner(db.Model):
    """An agency works with a partner organization: it may put it on plans and share clients with it."""

    __tablename__ = "agency_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("agency_id", "partner_id"),)
