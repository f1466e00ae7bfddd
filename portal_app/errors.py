"""The base of every domain's named refusals: a sentence, the form field it belongs to, an HTTP status."""
from __future__ import annotations


class DomainError(Exception):
    """A change refused by a business rule; nothing was saved.

    `field` names the form field the message belongs to (None: the whole form);
    `status` is the HTTP status a view answers with.
    """

    field: str | None = None
    status: int = 422
    default_message = "This change could not be saved."

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        super().__init__(message or self.default_message)
        if field is not None:
            self.field = field

    def __str__(self) -> str:
        return str(self.args[0])


class NotFound(DomainError):
    """The object does not exist or lies outside the actor's scope: answered 404, its existence not revealed."""

    status = 404
    default_message = "Page not found."


class Forbidden(DomainError):
    """The actor may see the object but not do this to it: answered 403."""

    status = 403
    default_message = "You do not have access to this page."
