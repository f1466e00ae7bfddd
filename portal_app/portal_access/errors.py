"""The Client Portal's refusals: named errors that the central handler maps to a field message and a status.

Staff-side refusals are English (the staff site is English only); those seen on /links and /portal
are translated (lazy_gettext).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import DomainError


class PortalAccessError(DomainError):
    """A Client Portal rule refused the change; nothing was saved."""

    default_message = "This change could not be made."


# -- Staff-side refusals (the staff site is English only) -----------------------------------------


class InvalidInvitation(PortalAccessError):
    field = "email"
    default_message = "Enter a valid email address, like name@example.org."


class SelfAlreadyInvited(PortalAccessError):
    status = 409
    field = "email"
    default_message = ("The client already has a pending invitation or an account. Resend or cancel the "
                       "pending invitation, or revoke the account's access first.")


class InvitationNotPending(PortalAccessError):
    status = 409
    default_message = "This invitation was already accepted or cancelled."


class NotARepresentative(PortalAccessError):
    status = 422
    default_message = "Items can only be hidden from a representative, never from the client themself."


class UnknownItem(PortalAccessError):
    status = 404
    default_message = "That item does not belong to this client."


# -- Refusals seen on /links and /portal (translated) ---------------------------------------------


class InvitationProblem(PortalAccessError):
    """The invitation link cannot be used; each subclass says what to do next."""

    status = 400
    kind = "invalid"  # which next step the page explains


class InvitationInvalid(InvitationProblem):
    status = 400
    default_message = _l("This invitation link is not valid. Please contact your agency and ask for a new invitation.")


class InvitationExpired(InvitationProblem):
    status = 410
    kind = "expired"
    default_message = _l("This invitation link has expired. Please ask your agency to send it again.")


class InvitationUsed(InvitationProblem):
    status = 410
    kind = "used"
    default_message = _l("This invitation was already used to create an account. Sign in with your username and password.")


class InvitationCancelled(InvitationProblem):
    status = 410
    kind = "cancelled"
    default_message = _l("This invitation was cancelled. Please contact your agency if you need a new one.")


class UsernameRejected(PortalAccessError):
    field = "username"
    default_message = _l("Use 3 to 32 letters, numbers, dots, underscores or hyphens, without spaces.")


class UsernameLooksLikeEmail(UsernameRejected):
    default_message = _l("A username cannot be an email address. Usernames can never be changed, but email "
                         "addresses do change. Choose a name without @.")


class UsernameTaken(UsernameRejected):
    default_message = _l("This username is already taken. Please choose another one.")


class FullNameRejected(PortalAccessError):
    field = "full_name"
    default_message = _l("Enter your full name (at most 120 characters).")


class PasswordRejected(PortalAccessError):
    field = "password"
    default_message = _l("Use 8 to 128 characters for your password.")


class NotificationEmailRejected(PortalAccessError):
    field = "email"
    default_message = _l("Enter a valid email address, like name@example.org.")


class OwnRecordTaken(PortalAccessError):
    status = 409
    default_message = _l(
        "This invitation is for someone's own record, and your account already holds your own record. "
        "Create a new account for this person instead."
    )


class AlreadyActsForClient(PortalAccessError):
    status = 409
    default_message = _l("Your account can already act for this person. Sign in to see their record.")
