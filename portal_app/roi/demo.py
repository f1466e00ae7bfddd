"""Demo releases of information: María's history (one expired, one active naming Hope Counseling Center,
on which her demo share with Hope relies). Made through the documents workflow, as on the portal."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..accounts.models import Role, User
from ..clients.models import Client
from ..documents import workflow
from ..documents.records import SignerKind
from ..extensions import db
from ..portal_access.models import ClientAccess
from ..sharing.models import ClientShare
from .demo_template import publish_roi_version
from .models import ReleaseOfInformation
from .queries import agency_today, roi_template


def _signed_roi(case_manager: User, client: Client, answers: dict, today) -> ReleaseOfInformation:
    template, _version = roi_template(case_manager.organization_id)
    document = workflow.start_document(case_manager, client, template.id)
    workflow.save_answers(case_manager, document, answers, submit=True, today=today)
    access = db.session.scalar(select(ClientAccess).where(ClientAccess.client_id == client.id, ClientAccess.active))
    name = " ".join(part for part in (client.first_name, client.last_name) if part)
    workflow.record_signature(access.account if access else None, document, SignerKind.CLIENT, name,
                              f"{name}, client", method="typed name on the client portal", ip="203.0.113.24",
                              user_agent="Mozilla/5.0 (Android 13; Mobile)", access=access)
    return db.session.scalar(select(ReleaseOfInformation).where(ReleaseOfInformation.document_id == document.id))


def load_rois(case_manager: User, client: Client) -> None:
    """Version 2 of the ROI template in every demo agency, and María's two ROIs (flushed, not committed)."""
    for admin in db.session.scalars(select(User).where(User.role == Role.ADMIN).order_by(User.id)):
        if roi_template(admin.organization_id) is not None:
            publish_roi_version(admin)
    share = db.session.scalar(select(ClientShare).where(ClientShare.client_id == client.id, ClientShare.active))
    today = agency_today()
    last_year = today - timedelta(days=400)
    hope = str(share.organization_id) if share else ""
    _signed_roi(case_manager, client, {
        "recipient_partners": [hope] if hope else [], "recipient": "Lane County Housing Authority",
        "purpose": "2", "information": ["1", "3"], "starts_on": last_year.isoformat(),
        "expires_on": (last_year + timedelta(days=365)).isoformat()}, last_year)
    active = _signed_roi(case_manager, client, {
        "recipient_partners": [hope] if hope else [], "purpose": "1", "information": ["1", "2", "3"],
        "expires_on": (today + timedelta(days=180)).isoformat()}, today)
    if share is not None and active is not None:
        share.roi_id = active.id
        db.session.flush()
