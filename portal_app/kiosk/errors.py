"""Named refusals of the kiosk domain; each names its form field and HTTP status."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import DomainError, NotFound


class KioskError(DomainError):
    """A kiosk change refused by a rule; nothing was saved."""


class LocationNotFound(NotFound):
    """No location with this id in the actor's agency."""


class KioskNotFound(NotFound):
    """No kiosk with this id in the actor's agency."""


class HandoffNotFound(NotFound):
    """No hand-off with this id in the actor's agency."""


class DuplicateLocationName(KioskError):
    field = "name"
    default_message = "Another location of your agency already has this name. Enter a different name."


class DuplicateKioskName(KioskError):
    field = "name"
    default_message = "Another kiosk of your agency already has this name. Enter a different name."


class PairingCodeInvalid(KioskError):
    field = "code"
    default_message = ("That code is not shown on any tablet now (codes last 10 minutes). "
                       "Check the code on the tablet and type it again.")


class NotFillableOnKiosk(KioskError):
    field = "template_id"
    default_message = "This form cannot be filled on a kiosk. Choose a form marked \u201cFillable on a kiosk\u201d."


class TargetInvalid(KioskError):
    field = "target"
    default_message = "Choose a tablet, or any tablet at a location of your agency."


class DocumentNotAwaitingClient(KioskError):
    status = 409
    default_message = ("This document is not waiting for the client, so it cannot go to a kiosk. "
                       "Only a draft, or a document waiting for the client's answers or signature, can.")


class HandoffAlreadyOpen(KioskError):
    status = 409
    default_message = "This document is already waiting at a kiosk. Cancel that hand-off first, or resend it."


class HandoffClosed(KioskError):
    status = 409
    default_message = "This hand-off is no longer open (completed, cancelled or expired)."


class KioskModuleOff(DomainError):
    """The agency switched its Kiosk module off (Account Administration › Settings): staff hand nothing to
    tablets and no tablet is added or paired; answered 403 with this sentence."""

    status = 403
    default_message = _l("The Kiosk module is turned off for your agency. An administrator can turn it on in "
                         "Account Administration \u203a Settings.")


# What a paired tablet of such an agency shows instead of forms (it stays paired).
TABLET_TURNED_OFF = _l("Kiosk is turned off for this agency. Please ask the front desk.")
