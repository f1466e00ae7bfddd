"""The release-of-information template, version 2: the fields an ROI record reads, under stable keys.

Version 1 (documents/demo.py) named one free-text recipient and an end date. Version 2 adds the partner
organizations of the agency's network as choices (`recipient_partners`, each choice's value is the
organization's id) and an optional start date (`starts_on`); the free-text recipient becomes optional
("someone not listed above"). Keys: see roi/services.py (KEY_*). A partner that joins the network later
is offered once an administrator publishes a new version (Forms > Edit fields).
"""
from __future__ import annotations

from typing import Any

from ..accounts.models import User
from ..accounts.queries import partner_organizations_for
from ..documents.demo import q
from ..documents.fields import check_fields
from ..documents.services import publish, start_draft
from ..extensions import db
from .queries import roi_template


def roi_fields_v2(partners: list[tuple[int, str]], v1: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Version 1's fields with the partner choices and the start date added, the free-text recipient optional."""
    fields: list[dict[str, Any]] = []
    for f in v1:
        if f["key"] == "recipient":
            if partners:
                fields.append(q("recipient_partners", "multiple_choice",
                                "Share with these organizations", "Compartir con estas organizaciones",
                                choices=[{"value": str(org_id), "label": {"en": name, "es": name}}
                                         for org_id, name in partners]))
            fields.append({**f, "required": not partners,
                           "label": {"en": "Someone else (person or organization not listed above)",
                                     "es": "Otra persona u organización (que no aparece arriba)"}})
        elif f["key"] == "expires_on":
            fields.append(q("starts_on", "date", "This release starts on", "Esta autorización empieza el",
                            help={"en": "Leave empty to start on the day you sign.",
                                  "es": "Déjelo vacío para empezar el día en que firme."}))
            fields.append(f)
        else:
            fields.append(f)
    return fields


def publish_roi_version(admin: User) -> None:
    """Publish version 2 of the agency's release-of-information template (flushed, not committed)."""
    found = roi_template(admin.organization_id)
    if found is None:
        return
    template, current = found
    partners = [(o.id, o.name) for o in partner_organizations_for(admin.organization_id, sharing_only=False)]
    draft = start_draft(admin, template)
    draft.fields = check_fields(roi_fields_v2(partners, current.fields))
    db.session.flush()
    publish(admin, template, draft, draft.version_id)
