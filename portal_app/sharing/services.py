"""Client plan (Service Providers), Share Client / Stop sharing, contacts and their review.

Every function takes the acting person, validates, audits, enqueues mail and flushes; the view commits.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..accounts.models import Organization, OrganizationKind, User
from ..accounts.queries import works_with
from ..clients.models import Client
from ..clock import as_utc, utcnow
from ..errors import DomainError
from ..extensions import db
from ..outbox import enqueue_template
from ..plaintext import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from .models import ClientShare, Contact, ContactMethod, ContactSource, ServiceProvider
from .part2 import PART2_NOTICE
from .queries import active_share_of, shareable_providers
from .roi_gate import check_roi_for_share

MAX_NOTES = 10_000
MAX_SHARE_NOTE = 2_000
EARLIEST_CONTACT = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SKEW = timedelta(minutes=5)


class SharingError(DomainError):
    """A sharing or contact rule refused the change; nothing was saved."""

    default_message = "This change could not be made."


class NotEligibleOrganization(SharingError):
    field = "organization_id"
    default_message = "Choose a partner organization that has sharing enabled."


class AlreadyServiceProvider(SharingError):
    field = "organization_id"
    default_message = "This organization is already a service provider for this client."


class NotAServiceProvider(SharingError):
    field = "organization_id"
    default_message = "Choose one of this client's service providers with sharing enabled."


class AlreadyShared(SharingError):
    status = 409
    field = "organization_id"
    default_message = "This client is already shared with that organization. Stop sharing first to change the note."


class ContactLocked(SharingError):
    status = 409
    default_message = "This contact has been reviewed by the agency and can no longer be changed."


class StaleEdit(SharingError):
    status = 409
    default_message = "Someone else changed this contact after you opened it. Review their version, then save again."


class InvalidContact(SharingError):
    pass


def _plain(text: str | None, field: str, *, multiline: bool = False,
           error: type[SharingError] = SharingError) -> str:
    """Stripped text without invisible control characters (a NUL byte also breaks PostgreSQL)."""
    text = (text or "").strip()
    if has_control_characters(text, multiline=multiline):
        raise error(CONTROL_CHARACTERS_MESSAGE, field=field)
    return text


def _flush_contact() -> None:
    try:
        db.session.flush()
    except StaleDataError as err:  # another request saved the contact between our read and our write
        raise StaleEdit from err


def _insert_or_refuse(row, refusal: type[SharingError]) -> None:
    """Insert in a savepoint: two people saving the same thing at once get the refusal, not a 500."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        raise refusal from None


# -- Client plan: Service Providers ---------------------------------------------------------


def add_service_provider(actor: User, client: Client, organization: Organization, service: str) -> ServiceProvider:
    """Put a partner organization on the client's plan with the service it provides."""
    if organization.kind != OrganizationKind.PARTNER or not organization.sharing_enabled:
        raise NotEligibleOrganization
    if not works_with(actor.organization_id, organization.id):  # S15: only the agency's own partners
        raise NotEligibleOrganization
    service = _plain(service, "service")
    if not service:
        raise SharingError("Enter the service this organization provides.", field="service")
    if len(service) > 200:
        raise SharingError("Use at most 200 characters.", field="service")
    existing = db.session.scalar(
        select(ServiceProvider).where(
            ServiceProvider.client_id == client.id, ServiceProvider.organization_id == organization.id
        )
    )
    if existing is not None:
        raise AlreadyServiceProvider
    provider = ServiceProvider(client=client, organization=organization, service=service, added_by_id=actor.id)
    _insert_or_refuse(provider, AlreadyServiceProvider)
    audit.record("sharing.provider_added", actor, obj=provider, client_id=client.id,
                 details={"organization_id": organization.id})
    return provider


def remove_service_provider(actor: User, provider: ServiceProvider) -> None:
    """Take the organization off the plan; an active share with it ends too."""
    share = active_share_of(provider.client_id, provider.organization_id)
    if share is not None:
        revoke_share(actor, share)
    audit.record("sharing.provider_removed", actor, obj=provider, client_id=provider.client_id,
                 details={"organization_id": provider.organization_id})
    db.session.delete(provider)
    db.session.flush()


# -- Share Client / Stop sharing ------------------------------------------------------------


def share_client(actor: User, client: Client, organization: Organization, note: str,
                 override_reason: str = "") -> ClientShare:
    """Share the client with one of its service providers and notify the organization's contact. Where the
    agency requires an active ROI, the share relies on the ROI naming the partner (or a supervisor's override)."""
    if organization.id not in {p.organization_id for p in shareable_providers(client)}:
        raise NotAServiceProvider
    if not works_with(actor.organization_id, organization.id):
        raise NotAServiceProvider
    if active_share_of(client.id, organization.id) is not None:
        raise AlreadyShared
    note = _plain(note, "note", multiline=True)
    if len(note) > MAX_SHARE_NOTE:
        raise SharingError(f"Use at most {MAX_SHARE_NOTE} characters.", field="note")
    roi_id, override = check_roi_for_share(actor, client, organization, override_reason)
    share = ClientShare(client=client, organization=organization, note=note, shared_by_id=actor.id, roi_id=roi_id,
                        roi_override_reason=override)
    _insert_or_refuse(share, AlreadyShared)
    if override:
        audit.record("sharing.roi_override", actor, obj=share, client_id=client.id,
                     details={"organization_id": organization.id, "reason": override})
    if organization.contact_email:
        # S14: the email says that a client was shared and where to sign in; nothing about the client.
        enqueue_template(
            organization.contact_email,
            "client_shared",
            agency_name=actor.organization.name,
            organization_name=organization.name,
            contact_name=organization.contact_name,
            part2=client.part2_protected,
            part2_notice=PART2_NOTICE,
            partner_url=current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/partner/",
        )
    audit.record("sharing.client_shared", actor, obj=share, client_id=client.id,
                 details={"organization_id": organization.id, "notified": bool(organization.contact_email)})
    return share


def revoke_share(actor: User, share: ClientShare) -> bool:
    """Stop sharing; harmless when already stopped. True when this call stopped it."""
    if not share.active:
        return False
    share.revoked_at = utcnow()
    share.revoked_by_id = actor.id
    db.session.flush()
    audit.record("sharing.share_revoked", actor, obj=share, client_id=share.client_id,
                 details={"organization_id": share.organization_id})
    return True


# -- Contacts -------------------------------------------------------------------------------


def _clean_contact(occurred_at: datetime | None, method: str, location: str, notes: str) -> dict:
    if occurred_at is None:
        raise InvalidContact("Enter the date and time of the contact.", field="occurred_at")
    occurred_at = as_utc(occurred_at)
    if occurred_at > utcnow() + FUTURE_SKEW:
        raise InvalidContact("The contact cannot be in the future.", field="occurred_at")
    if occurred_at < EARLIEST_CONTACT:
        raise InvalidContact("Enter a date after 1 January 2000.", field="occurred_at")
    if method not in {m.value for m in ContactMethod}:
        raise InvalidContact("Choose how the contact happened.", field="method")
    location = _plain(location, "location", error=InvalidContact)
    if len(location) > 200:
        raise InvalidContact("Use at most 200 characters.", field="location")
    notes = _plain(notes, "notes", multiline=True, error=InvalidContact)
    if not notes:
        raise InvalidContact("Enter notes about the contact.", field="notes")
    if len(notes) > MAX_NOTES:
        raise InvalidContact(f"Use at most {MAX_NOTES:,} characters.", field="notes")
    return {"occurred_at": occurred_at, "method": method, "location": location, "notes": notes}


def record_contact(actor: User, client: Client, *, occurred_at: datetime | None, method: str,
                   location: str = "", notes: str = "") -> Contact:
    """Record a contact: staff contacts are Actual; a partner's wait in Needs Review."""
    data = _clean_contact(occurred_at, method, location, notes)
    source = ContactSource.STAFF if actor.is_staff else ContactSource.THIRD_PARTY
    contact = Contact(client=client, author_id=actor.id, organization_id=actor.organization_id,
                      source=source, **data)
    db.session.add(contact)
    db.session.flush()
    audit.record("contact.recorded", actor, obj=contact, client_id=client.id, details={"source": source})
    return contact


def update_contact(actor: User, contact: Contact, expected_version: int | None, *,
                   occurred_at: datetime | None, method: str, location: str = "", notes: str = "",
                   mark_reviewed: bool = False) -> Contact:
    """Edit a contact (partners: their own, until reviewed); staff may tick "Mark as Reviewed?"."""
    if not actor.is_staff and contact.reviewed_at is not None:
        raise ContactLocked
    if expected_version is None or expected_version != contact.version_id:
        raise StaleEdit
    data = _clean_contact(occurred_at, method, location, notes)
    changed = sorted(k for k, v in data.items() if getattr(contact, k) != v)
    for key, value in data.items():
        setattr(contact, key, value)
    _flush_contact()
    if changed:
        audit.record("contact.updated", actor, obj=contact, client_id=contact.client_id,
                     details={"fields": changed})
    if mark_reviewed and actor.is_staff:
        mark_contact_reviewed(actor, contact)
    return contact


def mark_contact_reviewed(actor: User, contact: Contact) -> bool:
    """Mark a third-party contact as reviewed; marking twice changes nothing. True when newly marked."""
    if not actor.is_staff:
        raise SharingError("Only staff of the agency review contacts.")
    if not contact.is_third_party:
        raise SharingError("Only contacts recorded by a partner organization need review.")
    if contact.reviewed_at is not None:
        return False
    contact.reviewed_at = utcnow()
    contact.reviewed_by_id = actor.id
    _flush_contact()
    audit.record("contact.reviewed", actor, obj=contact, client_id=contact.client_id)
    return True


# -- Views of a contact (S13; views of the client's pages: clients.services.record_client_view) --


def record_contact_view(actor: User, contact: Contact, page: str) -> None:
    """Audit a view of one contact (its detail or edit page) by staff or partner."""
    audit.record("contact.viewed", actor, obj=contact, client_id=contact.client_id, details={"page": page})
