"""Changes to client records by staff: add, edit, photo, and the audit of every view (S13).

Every function takes the acting staff member as `actor`, checks the rules, records an audit
event (field names only: no health or personal details in the trail) and flushes; the caller
commits.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..accounts.models import Role, User
from ..audit import AuditEvent
from ..extensions import db
from ..files import store_bytes
from .errors import (
    ClientError,
    ClientOutOfScope,
    InvalidClientField,
    PhotoRejected,
    StaleEdit,
)
from .models import PRIMARY_CASE_MANAGER, CareTeamMember, Client
from .photos import prepare_photo
from .policy import in_own_agency
from .rules import clean_client_data

PHOTO_STALE = (
    "Someone else changed this client while the photo was uploading, so the photo was not saved. "
    "Choose it again and upload it once more."
)

__all__ = [
    "ClientError", "ClientOutOfScope", "InvalidClientField", "PhotoRejected", "StaleEdit",
    "create_client", "update_client", "set_client_photo", "record_client_view",
]


def _require_scope(actor: User, client: Client) -> None:
    """Defence in depth: views load clients through a scoped query, the services check again."""
    if not in_own_agency(actor, client):
        raise ClientOutOfScope


def _flush(stale_message: str | None = None) -> None:
    try:
        db.session.flush()
    except StaleDataError as err:  # another request saved the client between our read and write
        raise StaleEdit(stale_message) from err


def create_client(
    actor: User, *, first_name: str, last_name: str, middle_name: str = "",
    date_of_birth: date | None = None, phone: str = "", email: str = "", address: str = "",
    zip_code: str = "", preferred_language: str = "en", part2_protected: bool = False,
) -> Client:
    """Add a client to the actor's agency; a case manager who adds one becomes its primary case manager."""
    if not actor.is_staff:
        raise ClientOutOfScope
    values = clean_client_data(
        first_name=first_name, last_name=last_name, middle_name=middle_name, date_of_birth=date_of_birth,
        phone=phone, email=email, address=address, zip_code=zip_code,
        preferred_language=preferred_language, part2_protected=part2_protected,
    )
    client = Client(organization_id=actor.organization_id, **values)
    if actor.role == Role.CASE_MANAGER:
        client.care_team.append(CareTeamMember(user=actor, role=PRIMARY_CASE_MANAGER))
    db.session.add(client)
    db.session.flush()
    audit.record(
        "client.created", actor, obj=client, client_id=client.id,
        details={"fields": sorted(k for k, v in values.items() if v), "care_team": [m.role for m in client.care_team]},
    )
    return client


def update_client(actor: User, client: Client, expected_version: int | None, **data: Any) -> list[str]:
    """Save an edited client (optimistic locking, R3); returns the names of the fields that changed."""
    _require_scope(actor, client)
    if expected_version is None or client.version_id != expected_version:
        raise StaleEdit
    values = clean_client_data(**data)
    changed = sorted(name for name, value in values.items() if getattr(client, name) != value)
    if not changed:
        return changed
    for name in changed:
        setattr(client, name, values[name])
    _flush()
    audit.record("client.updated", actor, obj=client, client_id=client.id, details={"fields": changed})
    return changed


def set_client_photo(actor: User, client: Client, upload_bytes: bytes, filename: str = "") -> None:
    """Check the uploaded photo by its content, store it re-encoded (with a thumbnail) and use it.

    `filename` (the browser's name for the file) is kept only as the stored file's display name;
    it decides nothing.
    """
    _require_scope(actor, client)
    prepared = prepare_photo(upload_bytes)
    replaced = client.photo_id is not None
    photo = store_bytes(prepared.photo, prepared.content_type, filename or f"client-photo.{prepared.extension}")
    thumb = store_bytes(prepared.thumb, prepared.content_type, f"client-thumb.{prepared.extension}")
    # Both stored before the client changes: storing queries, and a query would flush the change early.
    client.photo, client.photo_thumb = photo, thumb
    _flush(PHOTO_STALE)
    audit.record(
        "client.photo_changed", actor, obj=client, client_id=client.id,
        details={"replaced": replaced, "content_type": prepared.content_type},
    )


def record_client_view(actor: User, client: Client, page: str | None = None) -> AuditEvent:
    """Every view of a client record by staff is an audit event (S13); `page` names the screen."""
    _require_scope(actor, client)
    return audit.record(
        "client.viewed", actor, obj=client, client_id=client.id, details={"page": page} if page else None
    )
