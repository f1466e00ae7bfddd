"""How staff name the person behind a portal account: by who they are to the client, not by username.

The username is a sign-in name the person chose; staff read "María González (the client)" or
"Mother of Sam Delgado". Only the Client Portal Manager shows usernames, to administrators.
"""
from __future__ import annotations

from .models import ClientAccess

SELF = "self"


def portal_person(label: str | None, client_name: str) -> str:
    """The person for an access label ("self", "mother", "" for an unnamed representative, None: no access now)."""
    if label == SELF:
        return f"{client_name} (the client)"
    if label is None:
        return f"A former representative of {client_name}"
    relation = (label or "representative").strip()
    return f"{relation[:1].upper()}{relation[1:]} of {client_name}"


def access_person(access: ClientAccess) -> str:
    """The person acting through `access`, named for staff."""
    return portal_person(access.label, access.client.display_name)
