"""Account Administration: organizations, user accounts, agency modules and licence seats.

Split by concern: `errors` (the named refusals), `checks` (rules shared with the operator's pages),
`organizations` and `users`. This package re-exports their public names, so callers keep writing
`from portal_app.accounts import administration as admin` and `admin.create_user(...)`.
"""
from __future__ import annotations

from .errors import (
    AdministrationError,
    AgenciesByOperator,
    CannotChangeOwnRole,
    CannotDisableSelf,
    DuplicateEmail,
    DuplicateOrganizationName,
    InvalidPassword,
    NotAnAgency,
    OrganizationKindInUse,
    OrganizationOutsideAgency,
    PartnerNameTaken,
    RoleOrganizationMismatch,
    SeatLimitReached,
    SharingNotForAgencies,
    StaleEdit,
)
from .organizations import create_organization, link_partner, update_agency_modules, update_organization
from .users import create_user, set_user_enabled, update_user

__all__ = [
    "AdministrationError", "AgenciesByOperator", "CannotChangeOwnRole", "CannotDisableSelf", "DuplicateEmail",
    "DuplicateOrganizationName", "InvalidPassword", "NotAnAgency", "OrganizationKindInUse",
    "OrganizationOutsideAgency", "PartnerNameTaken", "RoleOrganizationMismatch", "SeatLimitReached",
    "SharingNotForAgencies", "StaleEdit",
    "create_organization", "link_partner", "update_agency_modules", "update_organization",
    "create_user", "set_user_enabled", "update_user",
]
