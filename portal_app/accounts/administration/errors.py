"""The refusals of Account Administration (and of the operator's agency pages): each names its field."""
from __future__ import annotations

from ...errors import DomainError


class AdministrationError(DomainError):
    """A change refused by a rule of Account Administration; nothing was saved."""


class DuplicateOrganizationName(AdministrationError):
    field = "name"
    default_message = "An organization with this name already exists. Enter a different name."


class SharingNotForAgencies(AdministrationError):
    field = "sharing_enabled"
    default_message = (
        "Sharing is only for partner organizations. Uncheck \u201cSharing enabled\u201d "
        "or choose Partner organization as the kind."
    )


class OrganizationKindInUse(AdministrationError):
    field = "kind"


class NotAnAgency(AdministrationError):
    default_message = "Modules can only be switched on for an agency."


class DuplicateEmail(AdministrationError):
    field = "email"
    default_message = "Another user account already uses this email address. Enter a different one."


class InvalidPassword(AdministrationError):
    field = "password"


class RoleOrganizationMismatch(AdministrationError):
    field = "role"


class CannotDisableSelf(AdministrationError):
    field = "enabled"
    status = 409
    default_message = "You cannot disable your own account. Ask another administrator to do it."


class CannotChangeOwnRole(AdministrationError):
    field = "role"
    status = 409
    default_message = "You cannot change your own role. Ask another administrator to do it."


class OrganizationOutsideAgency(AdministrationError):
    field = "organization_id"
    default_message = "Choose one of the organizations in the list."


class AgenciesByOperator(AdministrationError):
    field = "kind"
    default_message = "Agencies are created by the deployment operator. Add a partner organization instead."


class PartnerNameTaken(DuplicateOrganizationName):
    default_message = (
        "An organization with this name already exists. If it is a partner organization that works with "
        "another agency, tick \u201cWork with the existing organization of this name\u201d to work with it too; "
        "otherwise enter a different name."
    )


class SeatLimitReached(AdministrationError):
    status = 409

    def __init__(self, total: int) -> None:
        super().__init__(
            f"All {total} licence seats are in use. "
            "Disable an account or ask for more seats before enabling another."
        )
        self.total = total


class StaleEdit(AdministrationError):
    status = 409
    default_message = (
        "Someone else changed this record after you opened the form, so nothing was saved. "
        "Your entries are kept below: check them against the current details and save again."
    )
