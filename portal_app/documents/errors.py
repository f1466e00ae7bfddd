"""Named refusals of the documents domain (form templates); each names its form field and HTTP status."""
from __future__ import annotations

from ..errors import DomainError, NotFound


class FormsError(DomainError):
    """A change to a form template refused by a rule; nothing was saved."""


class TemplateNotFound(NotFound):
    """No form template with this id in the actor's agency."""


class VersionNotFound(NotFound):
    """No version with this number (or no field with this key) in the template."""


class DuplicateTemplateName(FormsError):
    field = "name"
    default_message = "Another form of your agency already has this name. Enter a different name."


class InvalidField(FormsError):
    """A field's properties do not fit together (the message says which)."""


class NoDraft(FormsError):
    status = 409
    default_message = (
        "This version is published and can no longer change. Choose \u201cEdit fields and settings\u201d "
        "to start a new version."
    )


class DraftExists(FormsError):
    status = 409
    default_message = "A draft version of this form is already open: edit it, or publish it first."


class StaleDraft(FormsError):
    status = 409
    default_message = (
        "Someone else changed this form after you opened the page, so nothing was saved. "
        "The page now shows their changes: check them and try again."
    )


class PaperOnlyTemplate(FormsError):
    field = "paper_only"
    default_message = (
        "A form that must be signed on paper cannot be filled on the portal, on a kiosk or as a portal "
        "assessment, because those end in an electronic signature. Untick those, or untick "
        "\u201cMust be signed on paper\u201d."
    )


class CannotEsign(FormsError):
    """Raised when anything tries to e-sign (or send for e-signature) a paper-only form (ES-EXCLUDED)."""

    status = 409
    default_message = (
        "This form must be signed on paper (an exclusion of the ESIGN Act), so it cannot be signed "
        "electronically. Print it, have it signed in ink, and upload the scanned copy."
    )


class NotPublishable(FormsError):
    """Publishing refused: the message says what to fix first."""

    status = 422


class ArchivedTemplate(FormsError):
    status = 409
    default_message = "This form is archived. Unarchive it before changing it."


# --- documents of a client --------------------------------------------------------------------------

class DocumentError(DomainError):
    """A change to a client's document refused by a rule; nothing was saved."""


class DocumentNotFound(NotFound):
    """No document with this id among the clients the actor may see."""


class TemplateNotOffered(DocumentError):
    field = "template_id"
    status = 422
    default_message = "Choose one of the agency's published forms."


class WrongStatus(DocumentError):
    """The document's status does not allow this action (the message says what it is now)."""

    status = 409


class AnswersInvalid(DocumentError):
    """Submitted answers need correcting; `errors` holds one sentence per field key."""

    status = 422
    default_message = "Some answers need correcting: see the messages beside the questions."

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__()
        self.errors = errors


class NoPortalAccount(DocumentError):
    status = 409
    default_message = ("The client has no active portal account, so the document cannot be sent to the portal. "
                       "Invite the client (Client Portal tab) or fill the document here.")


class CountersignatureNotRequired(DocumentError):
    status = 409
    default_message = "This form does not ask for a staff countersignature."


class AlreadyCountersigned(DocumentError):
    status = 409
    default_message = "This document already has a staff countersignature."


class SignatureNameInvalid(DocumentError):
    field = "typed_name"
    status = 422
    default_message = "Type your full name to sign (2 to 200 characters)."


class VoidReasonMissing(DocumentError):
    field = "reason"
    status = 422
    default_message = "Say why the document is voided (at least 3 characters)."


class SignaturesMissing(DocumentError):
    status = 409
    default_message = "The document cannot be completed yet: signatures are missing."


class NotPaperOnly(DocumentError):
    status = 409
    default_message = "Only a form that must be signed on paper takes a scanned copy; this one is signed electronically."


class PaperCopyInvalid(DocumentError):
    field = "scan"
    status = 422
    default_message = "Upload the scanned copy as a PDF, JPEG or PNG file of at most 10 MB."
