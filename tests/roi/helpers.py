"""Releases of information for the tests: the agency's ROI template (version 2, with its partner choices) and
an ROI signed through the documents workflow, as the portal makes one."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal_app.documents import workflow
from portal_app.documents.records import SignerKind
from portal_app.extensions import db
from portal_app.roi.demo_template import publish_roi_version
from portal_app.roi.models import ReleaseOfInformation
from portal_app.roi.queries import agency_today, roi_template
from tests.documents.documents_helpers import form


def roi_form(admin):
    """The agency's ROI template, version 2 offering the agency's partners (installed once per agency)."""
    found = roi_template(admin.organization_id)
    if found is None:
        form(admin, "Release of information")
        publish_roi_version(admin)
        found = roi_template(admin.organization_id)
    return found[0]


def roi_answers(partners=(), *, end: date | None = None, start: date | None = None, other: str = "") -> dict:
    today = agency_today()
    answers = {"recipient_partners": [str(p.id) for p in partners], "recipient": other, "purpose": "1",
               "information": ["1", "3"], "expires_on": (end or today + timedelta(days=90)).isoformat()}
    if start:
        answers["starts_on"] = start.isoformat()
    return answers


def signed_roi(staff, client, partners=(), *, end: date | None = None, start: date | None = None, other: str = "",
               access=None) -> ReleaseOfInformation:
    """An ROI of `client` naming `partners`, signed by the client (the document completes -> the ROI)."""
    template = roi_form(_admin_of(staff))
    document = workflow.start_document(staff, client, template.id)
    # Checked as on a day before both dates, so a fixture may end in the past ("must be after today").
    today = min(agency_today(), (start or agency_today()) - timedelta(days=1), (end or agency_today()) - timedelta(days=1))
    workflow.save_answers(staff, document, roi_answers(partners, end=end, start=start, other=other), submit=True,
                          today=today)
    workflow.record_signature(access.account if access else None, document, SignerKind.CLIENT, "Maria Lopez",
                              "Maria Lopez, client", method="typed name on the client portal", access=access)
    return db.session.scalar(select(ReleaseOfInformation).where(ReleaseOfInformation.document_id == document.id))


def _admin_of(staff):
    from portal_app.accounts.models import User

    return db.session.scalar(select(User).where(User.organization_id == staff.organization_id, User.role == "admin")
                             .order_by(User.id).limit(1)) or staff
