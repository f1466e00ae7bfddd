"""Test data, one module per domain; every factory makes a valid row, flushed, not committed (no audit, no email).

`from tests.factories import user` (or `from tests import factories; factories.client(...)`) keeps
working: the package re-exports each domain module's factories.

* accounts: organizations (agency, partner_organization, link, operators), users, tampered tokens
* clients: client, care_team, many_clients, photo, image bytes (image_bytes, jpeg_with_exif, png_claiming)
* sharing: provider, share, contact, pending_contacts
* portal: account, access, invitation (PASSWORD is every portal account's default password)
"""
from __future__ import annotations

from .accounts import (
    DEFAULT_PASSWORD,
    _hash,
    agency,
    link,
    operators,
    partner_organization,
    tampered,
    user,
)
from .clients import care_team, client, image_bytes, jpeg_with_exif, many_clients, photo, png_claiming
from .portal import PASSWORD as PORTAL_PASSWORD
from .portal import access, account, invitation
from .sharing import contact, pending_contacts, provider, share

__all__ = [
    "DEFAULT_PASSWORD", "PORTAL_PASSWORD", "_hash", "access", "account", "agency", "care_team", "client", "contact",
    "image_bytes", "invitation", "jpeg_with_exif", "link", "many_clients", "operators", "partner_organization",
    "pending_contacts", "photo", "png_claiming", "provider", "share", "tampered", "user",
]
