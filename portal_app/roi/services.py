"""Releases of information: made from a completed release-of-information document, revoked by the client
(portal) or by staff on the client's written request, and the agency setting "Sharing requires an active ROI".

Every function takes the acting person as `actor`, audits and flushes; the request (or the worker) commits.
When an ROI stops being in force, the shares that relied on it end (`end_dependent_shares`) and the client's
case managers get a link-only email.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from .. import audit
from ..accounts.models import Organization, User
from ..accounts.queries import works_with
from ..clients.models import CareTeamMember, Client
from ..clock import utcnow
from ..documents.fields import FieldKind
from ..documents.models import Category
from ..documents.records import Document
from ..errors import DomainError, Forbidden
from ..extensions import db
from ..messaging import items
from ..outbox import enqueue_template
from ..plaintext import has_control_characters
from ..portal_access.models import ClientAccess, PortalAccount
from ..sharing.models import ClientShare
from .models import ReleaseOfInformation, RoiRecipient, RoiStatus
from .queries import agency_today

# The stable field keys of the release-of-information template (see roi/demo_template.py).
KEY_PARTNERS = "recipient_partners"  # multiple choice; each choice's value is a partner organization's id
KEY_RECIPIENT = "recipient"  # free text: a person or an organization outside the network
KEY_RECIPIENT_CONTACT = "recipient_contact"
KEY_INFORMATION = "information"  # multiple choice
KEY_PURPOSE = "purpose"  # single choice
KEY_STARTS = "starts_on"  # date (optional: the signing date)
KEY_ENDS = "expires_on"  # date
DEFAULT_LENGTH = timedelta(days=365)  # when a form has no end date field
MAX_REASON = 1000


# Who else must know when an ROI is made from a document (the requests domain's "roi" kind registers here, so
# this module imports nothing of theirs): callables (actor, document, roi), run in the same transaction.
ON_RECORDED: list[Callable[[Any, Document, ReleaseOfInformation], None]] = []


class RoiError(DomainError):
    default_message = "This release of information could not be changed."


class RoiNotRevocable(RoiError):
    status = 409
    default_message = "This release of information is no longer active, so it cannot be revoked."


class RevokeReasonInvalid(RoiError):
    field = "reason"
    default_message = "Write the reason in at most 1000 characters, without special characters."


class RevokeReasonRequired(RevokeReasonInvalid):
    default_message = "Write the reason given in the client's written request (at least 3 characters)."


# --- made from a completed document ----------------------------------------------------------------------

def _choice_labels(field: dict | None, values: list[str]) -> list[dict[str, str]]:
    if not field:
        return []
    labels = {c["value"]: c["label"] for c in field.get("choices", [])}
    return [dict(labels[v]) for v in values if v in labels]


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _partners(agency_id: int, values: list[str]) -> list[Organization]:
    ids = {int(v) for v in values if v.isdigit()}
    orgs = db.session.scalars(select(Organization).where(Organization.id.in_(ids))).all() if ids else []
    return [o for o in orgs if o.is_partner and works_with(agency_id, o.id)]


def record_from_document(actor: Any, document: Document) -> ReleaseOfInformation | None:
    """The ROI of a completed release-of-information document (None for any other document): its answers
    mapped to recipients, information, purpose and dates. An earlier ROI naming the same recipients is
    superseded, and the shares relying on it now rely on the new one. Called by the documents workflow."""
    version = document.template_version
    if version.template.category != Category.RELEASE:
        return None
    answers = document.answers or {}
    today = agency_today()
    start = _date(answers.get(KEY_STARTS)) or today
    end = _date(answers.get(KEY_ENDS)) or start + DEFAULT_LENGTH
    purpose = _choice_labels(version.field(KEY_PURPOSE), [answers.get(KEY_PURPOSE) or ""])
    other = ", ".join(t for t in (str(answers.get(KEY_RECIPIENT) or "").strip(),
                                  str(answers.get(KEY_RECIPIENT_CONTACT) or "").strip()) if t)
    partner_field = version.field(KEY_PARTNERS)
    partners = _partners(document.client.organization_id, answers.get(KEY_PARTNERS) or []) if (
        partner_field and partner_field["kind"] == FieldKind.MULTIPLE_CHOICE) else []
    roi = ReleaseOfInformation(
        client_id=document.client_id, document=document, other_recipients=other, start_date=start,
        end_date=max(end, start), information=_choice_labels(version.field(KEY_INFORMATION),
                                                             answers.get(KEY_INFORMATION) or []),
        purpose=purpose[0] if purpose else {})
    db.session.add(roi)
    db.session.flush()
    for org in partners:
        db.session.add(RoiRecipient(roi_id=roi.id, organization_id=org.id))
    db.session.flush()
    audit.record("roi.created", actor, obj=roi, client_id=roi.client_id,
                 details={"document": document.id, "partners": [o.id for o in partners],
                          "start": start.isoformat(), "end": roi.end_date.isoformat()})
    _supersede_earlier(actor, roi, {o.id for o in partners}, today)
    for listener in ON_RECORDED:
        listener(actor, document, roi)
    return roi


def _recipient_key(roi: ReleaseOfInformation) -> tuple[frozenset[int], str]:
    return frozenset(r.organization_id for r in roi.recipients), " ".join(roi.other_recipients.lower().split())


def _supersede_earlier(actor: Any, new: ReleaseOfInformation, partner_ids: set[int], today: date) -> None:
    earlier = db.session.scalars(select(ReleaseOfInformation).where(
        ReleaseOfInformation.client_id == new.client_id, ReleaseOfInformation.id != new.id,
        ReleaseOfInformation.revoked_at.is_(None), ReleaseOfInformation.superseded_by_id.is_(None),
        ReleaseOfInformation.end_date >= today)).all()
    key = (frozenset(partner_ids), " ".join(new.other_recipients.lower().split()))
    for old in earlier:
        if _recipient_key(old) != key:
            continue
        old.superseded_by_id, old.superseded_at = new.id, utcnow()
        for share in db.session.scalars(select(ClientShare).where(ClientShare.roi_id == old.id, ClientShare.active)):
            share.roi_id = new.id
        db.session.flush()
        audit.record("roi.superseded", actor, obj=old, client_id=old.client_id, details={"by": new.id})


# --- revocation ------------------------------------------------------------------------------------------

def _clean_reason(reason: str | None, *, required: bool) -> str:
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON or has_control_characters(reason, multiline=True):
        raise RevokeReasonInvalid
    if required and len(reason) < 3:
        raise RevokeReasonRequired
    return reason


def revoke_roi(actor: User | PortalAccount, roi: ReleaseOfInformation, reason: str = "", *,
               access: ClientAccess | None = None) -> int:
    """Revoke an active (or not yet started) ROI: by the client or their representative on the portal (reason
    optional), or by staff on the client's written request (reason required). The shares that relied on it
    end now and the case managers are told. Returns the number of shares ended."""
    if getattr(actor, "kind", None) == "portal":
        if access is None or access.account_id != actor.id or not access.active or access.client_id != roi.client_id:
            raise Forbidden
        reason = _clean_reason(reason, required=False)
        roi.revoked_by_account_id = actor.id
    else:
        reason = _clean_reason(reason, required=True)
        roi.revoked_by_user_id = actor.id
    if roi.status(agency_today()) not in (RoiStatus.ACTIVE, RoiStatus.NOT_YET):
        raise RoiNotRevocable
    roi.revoked_at, roi.revoke_reason = utcnow(), reason
    db.session.flush()
    audit.record("roi.revoked", actor, obj=roi, client_id=roi.client_id,
                 details={"reason": reason, "via": "portal" if roi.revoked_by_account_id else "staff"})
    shares = _end_shares(actor, roi, "revoked")
    if roi.revoked_by_account_id:
        _tell_case_managers(roi.client, "roi_revoked_staff", [])
        _inbox_items(actor, roi, shares)
    return len(shares)


# --- shares that relied on an ROI ------------------------------------------------------------------------

def end_dependent_shares(actor: Any, roi: ReleaseOfInformation, why: str) -> int:
    """End the active shares relying on this ROI (the partner loses access on its next request), and email
    the client's case managers (and whoever shared) a link. Returns the number of shares ended."""
    return len(_end_shares(actor, roi, why))


def _end_shares(actor: Any, roi: ReleaseOfInformation, why: str) -> list[ClientShare]:
    shares = db.session.scalars(select(ClientShare).where(ClientShare.roi_id == roi.id, ClientShare.active)).all()
    for share in shares:
        share.revoked_at = utcnow()
        share.revoked_by_id = actor.id if isinstance(actor, User) else None
        db.session.flush()
        audit.record("sharing.share_ended_roi", actor, obj=share, client_id=share.client_id,
                     details={"organization_id": share.organization_id, "roi": roi.id, "why": why})
    if shares:
        _tell_case_managers(roi.client, "roi_share_ended", [s.shared_by_id for s in shares])
    return list(shares)


def _staff_to_tell(client: Client, also: list[int]) -> list[User]:
    """The client's care team and the given staff members, once each (enabled, of the client's agency)."""
    ids = set(also) | set(db.session.scalars(select(CareTeamMember.user_id)
                                             .where(CareTeamMember.client_id == client.id)))
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids), User.enabled.is_(True),
                                                      User.organization_id == client.organization_id)
                                   .order_by(User.id)))


def _tell_case_managers(client: Client, template: str, also: list[int]) -> None:
    """A link-only email (S14) to the client's care team and the given staff members, once each."""
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + f"/staff/clients/{client.id}/roi"
    for user in _staff_to_tell(client, also):
        enqueue_template(user.email, template, link=link)


def _inbox_items(account: PortalAccount, roi: ReleaseOfInformation, shares: list[ClientShare]) -> None:
    """Revoked on the portal: a PORTAL Inbox item (linking to the ROI history) for each staff member the emails
    went to — the care team, and whoever shared when shares ended — from the account that revoked. The emails
    above are their link-only notification: the items add none."""
    text = "I revoked the release of information."
    if roi.revoke_reason:
        text += f" {roi.revoke_reason}"
    if shares:
        text += (f" Sharing with {len(shares)} organization{'s' if len(shares) != 1 else ''} that relied on it "
                 "has ended.")
    staff = _staff_to_tell(roi.client, [s.shared_by_id for s in shares] if shares else [])
    items.tell_staff(items.ROI, roi.id, client_id=roi.client_id, staff_ids=[u.id for u in staff], account=account,
                     subject="Release of Information revoked", text=text, notify=False)


# --- the agency setting ----------------------------------------------------------------------------------

def set_sharing_requires_roi(actor: User, agency: Organization, on: bool) -> bool:
    """Account Administration: Share Client needs an active ROI naming the partner. True when it changed."""
    if not (actor.is_admin and agency.is_agency and agency.id == actor.organization_id):
        raise Forbidden
    if agency.sharing_requires_roi == bool(on):
        return False
    agency.sharing_requires_roi = bool(on)
    db.session.flush()
    audit.record("admin.sharing_requires_roi", actor, obj=agency, details={"on": bool(on)})
    return True


def record_history_view(actor: Any, client: Client, page: str) -> None:
    """Every view of a client's ROIs (staff history, portal list) is audited (S13)."""
    audit.record("roi.history_viewed", actor, obj=client, client_id=client.id, details={"page": page})
