"""Reads of releases of information, scoped in the query itself (S15); "today" is the agency's local date."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.models import Organization
from ..authz import Permission, can
from ..clients.models import Client
from ..clock import utcnow
from ..documents.models import Category, FormTemplate, FormTemplateVersion
from ..documents.records import Document
from ..errors import Forbidden, NotFound
from ..extensions import db
from ..portal_access.models import ClientAccess
from ..sharing.models import ClientShare
from .models import ReleaseOfInformation, RoiRecipient

ROI = ReleaseOfInformation
REFUSAL_WINDOW_DAYS = 7
REFUSAL_MESSAGE = ("This client already has an active Release of Information. Please review the client's "
                   "Release of Information history.")
HISTORY_LIMIT = 200  # a client signs a handful; the page shows the newest 200


class RoiNotFound(NotFound):
    default_message = "This release of information does not exist, or you cannot see it."


def agency_today() -> date:
    """Today's date in the agency's time zone, by the app clock."""
    from ..timefmt import to_local

    return to_local(utcnow()).date()


def _in_force(today: date):
    return (ROI.revoked_at.is_(None), ROI.superseded_by_id.is_(None), ROI.start_date <= today, ROI.end_date >= today)


def active_rois(client: Client, today: date) -> list[ReleaseOfInformation]:
    """The client's ROIs in force on `today`, the latest-ending first."""
    return list(db.session.scalars(
        select(ROI).where(ROI.client_id == client.id, *_in_force(today))
        .options(selectinload(ROI.recipients).joinedload(RoiRecipient.organization))
        .order_by(ROI.end_date.desc(), ROI.id.desc())))


def covers(client: Client, partner_org: Organization, today: date) -> ReleaseOfInformation | None:
    """The ROI in force on `today` that names this partner organization (the latest-ending), or None."""
    return db.session.scalar(
        select(ROI).join(RoiRecipient, RoiRecipient.roi_id == ROI.id)
        .where(ROI.client_id == client.id, RoiRecipient.organization_id == partner_org.id, *_in_force(today))
        .order_by(ROI.end_date.desc(), ROI.id.desc()).limit(1))


def roi_request_refusal(client: Client, today: date) -> str | None:
    """Why a new ROI request is refused: an ROI in force that does not expire within 7 days; else None."""
    lasting = db.session.scalar(select(ROI.id).where(
        ROI.client_id == client.id, *_in_force(today),
        ROI.end_date > today + timedelta(days=REFUSAL_WINDOW_DAYS)).limit(1))
    return REFUSAL_MESSAGE if lasting is not None else None


def share_roi_in_force(today: date):
    """SQL: a share relies on no ROI, or on one still in force (the partner's access check adds this)."""
    return or_(ClientShare.roi_id.is_(None),
               exists(select(ROI.id).where(ROI.id == ClientShare.roi_id, *_in_force(today))))


def history(client: Client) -> list[ReleaseOfInformation]:
    """Every ROI of the client, newest first, with what the history page shows loaded (constant queries)."""
    return list(db.session.scalars(
        select(ROI).where(ROI.client_id == client.id)
        .options(selectinload(ROI.recipients).joinedload(RoiRecipient.organization),
                 joinedload(ROI.document).joinedload(Document.sealed_file),
                 joinedload(ROI.revoked_by_user), joinedload(ROI.revoked_by_account))
        .order_by(ROI.created_at.desc(), ROI.id.desc()).limit(HISTORY_LIMIT)))


def dependent_share_counts(client: Client) -> dict[int, int]:
    """ROI id -> the number of active shares relying on it (one query)."""
    from sqlalchemy import func

    rows = db.session.execute(select(ClientShare.roi_id, func.count()).where(
        ClientShare.client_id == client.id, ClientShare.active, ClientShare.roi_id.is_not(None))
        .group_by(ClientShare.roi_id))
    return {roi_id: count for roi_id, count in rows}


def get_roi_for(actor: Any, roi_id: int) -> ReleaseOfInformation:
    """An ROI of a client of the staff member's agency; any other raises RoiNotFound (404)."""
    agency_id = actor.organization_id if getattr(actor, "is_staff", False) and actor.organization_id else -1
    roi = db.session.scalar(select(ROI).join(Client, Client.id == ROI.client_id)
                            .where(ROI.id == roi_id, Client.organization_id == agency_id))
    if roi is None or not can(actor, Permission.STAFF_CLIENTS, roi.client):
        raise RoiNotFound
    if not can(actor, Permission.STAFF_ROI, roi):
        raise Forbidden
    return roi


def portal_rois(access: ClientAccess) -> list[ReleaseOfInformation]:
    """The acted-for client's ROIs, newest first (the access is the account's own, checked by the caller)."""
    return list(db.session.scalars(
        select(ROI).where(ROI.client_id == access.client_id)
        .options(selectinload(ROI.recipients).joinedload(RoiRecipient.organization))
        .order_by(ROI.created_at.desc(), ROI.id.desc()).limit(HISTORY_LIMIT)))


def get_portal_roi_for(access: ClientAccess | None, roi_id: int) -> ReleaseOfInformation:
    """An ROI of the acted-for client; any other raises RoiNotFound (404)."""
    roi = None if access is None else db.session.scalar(
        select(ROI).where(ROI.id == roi_id, ROI.client_id == access.client_id))
    if roi is None:
        raise RoiNotFound
    return roi


def roi_template(agency_id: int) -> tuple[FormTemplate, FormTemplateVersion] | None:
    """The agency's release-of-information template (category "release", published, not archived) and its
    current version; the oldest when there are several."""
    row = db.session.execute(
        select(FormTemplate, FormTemplateVersion)
        .join(FormTemplateVersion, (FormTemplateVersion.template_id == FormTemplate.id)
              & (FormTemplateVersion.number == FormTemplate.current_number))
        .where(FormTemplate.organization_id == agency_id, FormTemplate.category == Category.RELEASE,
               FormTemplate.archived_at.is_(None))
        .order_by(FormTemplate.id).limit(1)).first()
    return (row[0], row[1]) if row else None


def roi_for_document(document_id: int) -> ReleaseOfInformation | None:
    """The ROI made from this document once it was signed (None before): how a request learns it is fulfilled."""
    return db.session.scalar(select(ROI).where(ROI.document_id == document_id))
