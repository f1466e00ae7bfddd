"""Named refusals of the clients domain; views map them to a field message and a status code."""
from __future__ import annotations

from ..errors import DomainError


class ClientError(DomainError):
    """A change to a client refused by a rule; nothing was saved."""


class InvalidClientField(ClientError):
    """One value breaks a rule of the client record (the form normally catches it first)."""


class ClientOutOfScope(ClientError):
    """The client belongs to another agency: answered like a client that does not exist."""

    status = 404
    default_message = "This client could not be found."


class StaleEdit(ClientError):
    status = 409
    default_message = (
        "Someone else changed this client after you opened the form, so nothing was saved. "
        "Your entries are kept below: check them against the current details and save again."
    )


class PhotoRejected(ClientError):
    field = "photo"
    default_message = "This file is not a photo we can use. Choose a JPEG, PNG, WebP or GIF image."
