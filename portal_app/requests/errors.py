"""The named refusals of the requests domain: a sentence (the portal shows it translated), a field, a status."""
from __future__ import annotations

from ..errors import DomainError, Forbidden, NotFound


class RequestError(DomainError):
    default_message = "This request could not be saved."


class RequestNotFound(NotFound):
    default_message = "Page not found."


class CategoryNotFound(NotFound):
    default_message = "Page not found."


class NotYourAgency(Forbidden):
    default_message = "You may not send requests for this client."


class UnknownKind(RequestError):
    field = "kind"
    default_message = "Choose the type of request."


class AssessmentNotOffered(RequestError):
    field = "template_id"
    default_message = "Choose one of the assessments your agency offers on the portal."


class CategoryRequired(RequestError):
    field = "category_id"
    default_message = "Choose a category."


class NameRequired(RequestError):
    field = "name_id"
    default_message = "Choose a predefined name, or Other."


class OtherNameRequired(RequestError):
    field = "other_name"
    default_message = "Type the name of the document (at most 100 characters)."


class DueDateInPast(RequestError):
    field = "due_date"
    default_message = "Choose a due date from today on, or none."


class NoPortalAccount(RequestError):
    default_message = ("No one can use the Client Portal for this client yet. Invite the client or a "
                       "representative first.")


class WrongStatus(RequestError):
    status = 409
    default_message = "This request cannot be changed now: reload the page to see where it stands."


class ReasonRequired(RequestError):
    field = "reason"
    default_message = "Say why (3 to 1000 characters)."


class BundleInvalid(RequestError):
    field = "title"
    default_message = "Give the packet a name (at most 120 characters) and choose at least one request."


class LocationRequired(RequestError):
    field = "address"
    default_message = "Type an address (at most 300 characters), or share your position."


class UploadRejected(RequestError):
    field = "files"
    default_message = "This file is not a photo or PDF we can use. Choose a JPEG, PNG, HEIC or PDF file."


class UploadTooLarge(UploadRejected):
    status = 413
    default_message = "This file is too large. Each page can be at most 10 MB and 40 megapixels."


class CategoryNameInvalid(RequestError):
    field = "name"
    default_message = "Type a name of 1 to 100 characters that is not already in the list."
