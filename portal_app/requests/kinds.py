"""The kinds of request and what each needs: checked when staff send one, fulfilled by its portal handler.

Adding a kind (the release of information) is one `RequestKind` value and one `register_kind(...)` call:
`prepare` runs when staff send a request of the kind (raise a RequestError to refuse it), `fulfil`
is what the portal's page for the kind calls, and must end with `portal_services.mark_fulfilled`.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import UnknownKind


@dataclass(frozen=True)
class KindHandler:
    """What one kind of request needs: its label, its preparation when sent, and its fulfilment."""

    label: str
    # prepare(actor, request, data): fill the request's own fields from the staff form (flush only).
    prepare: Callable[[Any, Any, Mapping[str, Any]], None]
    # fulfil(account, access, request, **result): take the client's result (flush only).
    fulfil: Callable[..., Any]
    portal_endpoint: str  # the portal page where the client fulfils it (takes request_id)


KINDS: dict[str, KindHandler] = {}


def register_kind(kind: str, handler: KindHandler) -> None:
    """Make a kind of request available to staff (the type list) and to the portal (its fulfil page)."""
    KINDS[str(kind)] = handler


def handler_for(kind: str) -> KindHandler:
    try:
        return KINDS[kind]
    except KeyError:
        raise UnknownKind from None


def kind_choices() -> list[tuple[str, str]]:
    return [(name, handler.label) for name, handler in KINDS.items()]
