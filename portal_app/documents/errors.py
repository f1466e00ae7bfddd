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
