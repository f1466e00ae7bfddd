"""The demo's portal requests: María (her own account) and Sam (his guardian) have requests in every status —
open, overdue, fulfilled (to review), accepted, returned with a reason, "I can't provide this" — and Sam an
intake packet half done (its Release of Information still to sign). Sent and answered through the services,
so Inbox items and emails exist too."""
from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select

from ..accounts.models import User
from ..clients.models import Client
from ..clock import utcnow
from ..documents.models import FormTemplate
from ..extensions import db
from ..portal_access.queries import readable_accesses
from . import portal_services, services
from .categories import install_defaults


def _page(text: str) -> bytes:
    """A photographed page, drawn: white paper with a line of text."""
    image = Image.new("RGB", (850, 1100), "white")
    ImageDraw.Draw(image).text((60, 60), text, fill="black")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()


def _name(categories, category: str, name: str) -> dict:
    found = next(c for c in categories if c.name == category)
    return {"kind": "document", "category_id": found.id,
            "name_id": str(next(n.id for n in found.names if n.name == name))}


def load_requests(case_manager: User, maria: Client, sam: Client) -> None:
    """Requests in every status for the demo's portal clients (flushes)."""
    categories = install_defaults(case_manager.organization_id)
    gad7 = db.session.scalar(select(FormTemplate).where(FormTemplate.organization_id == case_manager.organization_id,
                                                        FormTemplate.name.like("GAD-7%")))
    today = services.today()
    maria_access = readable_accesses(maria)[0]
    account = maria_access.account

    services.send_request(case_manager, maria, {**_name(categories, "Income", "Pay stub"),
                                                "due_date": today + timedelta(days=3)})  # open, reminder due
    overdue = services.send_request(case_manager, maria, {"kind": "location"})
    overdue.due_date = today - timedelta(days=2)  # sent a while ago: overdue now
    overdue.requested_at = utcnow() - timedelta(days=9)
    assessment = services.send_request(case_manager, maria, {"kind": "assessment", "template_id": gad7.id,
                                                             "private": True})
    answers = {f["key"]: f["choices"][1]["value"] for f in assessment.document.template_version.fields
               if f["kind"] == "single_choice"}
    portal_services.fulfil_assessment(account, maria_access, assessment, answers, submit=True)  # to review
    returned = services.send_request(case_manager, maria, _name(categories, "Housing", "Lease"))
    portal_services.fulfil_document(account, maria_access, returned, [_page("Lease, page 1")])
    services.return_result(case_manager, returned, "Only the first page came through. Please send every page.")
    cant = services.send_request(case_manager, maria, _name(categories, "Identification", "Birth certificate"))
    portal_services.cant_provide(account, maria_access, cant, "need_help",
                                 "I was born in another state and need help ordering a copy.")
    accepted = services.send_request(case_manager, maria, {"kind": "location"})
    portal_services.fulfil_location(account, maria_access, accepted, "418 Alder Street, Apt 2, Riverside")
    services.accept_result(case_manager, accepted)
    for request, days in ((returned, 6), (cant, 5), (accepted, 12)):  # older requests were sent on earlier days
        request.requested_at = utcnow() - timedelta(days=days)

    guardian = next(a for a in readable_accesses(sam) if not a.is_self)
    bundle = services.send_bundle(case_manager, sam, "Intake packet", [
        {"kind": "assessment", "template_id": gad7.id, "due_date": today + timedelta(days=10)},
        {**_name(categories, "Identification", "Birth certificate"), "due_date": today + timedelta(days=10)},
        {**_name(categories, "Income", "Benefit letter"), "due_date": today + timedelta(days=10)},
        {"kind": "location"},
        {"kind": "roi", "due_date": today + timedelta(days=10)}])  # Sam has no ROI: his guardian signs it
    portal_services.fulfil_document(guardian.account, guardian, bundle.requests[1],
                                    [_page("Birth certificate"), _page("Birth certificate, back")])
    portal_services.fulfil_location(guardian.account, guardian, bundle.requests[3], "27 Pine Court, Riverside")
    db.session.flush()
