"""The worker's passes over releases of information (by the app clock, idempotent):

* `end_lapsed` — an ROI whose end date has passed ends the shares that relied on it and tells the case
  managers, once (the partner's access check already refuses from the first day after the end date);
* `send_expiry_warnings` — 14 and 3 days before the end date, a link-only email to the client's portal
  account(s), once each.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from ..clock import utcnow
from ..extensions import db
from ..outbox import enqueue_template
from ..portal_access.models import ClientAccess, PortalAccount
from .models import ReleaseOfInformation
from .queries import agency_today
from .services import end_dependent_shares

ROI = ReleaseOfInformation
BATCH = 200
WARN_DAYS = (14, 3)


def end_lapsed(today: date | None = None, limit: int = BATCH) -> int:
    """End the shares of ROIs that expired (not yet handled); the number of ROIs handled."""
    today = today or agency_today()
    lapsed = db.session.scalars(select(ROI).where(
        ROI.end_date < today, ROI.lapse_handled_at.is_(None), ROI.revoked_at.is_(None),
        ROI.superseded_by_id.is_(None)).order_by(ROI.id).limit(limit)).all()
    for roi in lapsed:
        end_dependent_shares(None, roi, "expired")
        roi.lapse_handled_at = utcnow()
        db.session.flush()
    return len(lapsed)


def _portal_emails(client_id: int) -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(PortalAccount.email, PortalAccount.language).join(ClientAccess, ClientAccess.account_id == PortalAccount.id)
        .where(ClientAccess.client_id == client_id, ClientAccess.readable()).order_by(PortalAccount.id))
    return [(email, language) for email, language in rows if email]


def send_expiry_warnings(today: date | None = None, limit: int = BATCH) -> int:
    """Email the client 14 and 3 days before an ROI in force ends (one email per threshold, the nearer one
    only when both are due at once). Returns the number of emails queued."""
    today = today or agency_today()
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/portal/roi"
    due = db.session.scalars(select(ROI).where(
        ROI.revoked_at.is_(None), ROI.superseded_by_id.is_(None), ROI.start_date <= today, ROI.end_date >= today,
        ROI.end_date <= today + timedelta(days=WARN_DAYS[0]),
        (ROI.warned_14_at.is_(None)) | ((ROI.warned_3_at.is_(None)) & (ROI.end_date <= today + timedelta(days=3))))
        .order_by(ROI.id).limit(limit)).all()
    sent = 0
    for roi in due:
        days = (roi.end_date - today).days
        now = utcnow()
        if days <= WARN_DAYS[1]:
            roi.warned_3_at = now
        roi.warned_14_at = roi.warned_14_at or now
        for email, language in _portal_emails(roi.client_id):
            enqueue_template(email, "roi_expiring", link=link, days=days, language=language,
                             agency_name=roi.client.organization.name)
            sent += 1
        db.session.flush()
    return sent
