"""How staff name the person behind a portal account: by who they are to the client, not by username.

The username is a sign-in name the person chose; staff read "María González (the client)" or, for a
representative, their own name and relationship: "Ana Delgado, mother of Sam Delgado" ("Mother of Sam
Delgado" for an account that registered before names were asked). Only the Client Portal Manager shows
usernames, to administrators.
"""
from __future__ import annotations

from .models import ClientAccess

SELF = "self"


def portal_person(label: str | None, client_name: str, person: str = "") -> str:
    """The person for an access label ("self", "mother", "" for an unnamed representative, None: no access now),
    with their own name (`person`) when they gave one."""
    if label == SELF:
        return f"{client_name} (the client)"
    if label is None:
        return f"{person}, a former representative of {client_name}" if person else \
            f"A former representative of {client_name}"
    relation = (label or "representative").strip()
    if person:
        return f"{person}, {relation} of {client_name}"
    return f"{relation[:1].upper()}{relation[1:]} of {client_name}"


def access_person(access: ClientAccess) -> str:
    """The person acting through `access`, named for staff."""
    return portal_person(access.label, access.client.display_name, access.account.full_name)
