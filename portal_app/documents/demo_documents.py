"""Demo documents so the Documents tab is not empty: María's completed consent for services (she signed on the
portal, her case manager countersigned; the worker seals it) and a draft intake her case manager started."""
from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import User
from ..clients.models import Client
from ..extensions import db
from ..portal_access.models import ClientAccess
from . import workflow
from .models import FormTemplate
from .records import SignerKind


def _template(agency_id: int, name: str) -> FormTemplate:
    return db.session.scalar(select(FormTemplate).where(FormTemplate.organization_id == agency_id,
                                                        FormTemplate.name == name))


def load_documents(case_manager: User, client: Client) -> None:
    """A completed consent and a draft intake for `client` (who has her own portal account)."""
    agency_id = case_manager.organization_id
    consent = workflow.start_document(case_manager, client, _template(agency_id, "Consent for services").id)
    workflow.save_answers(case_manager, consent, {"understood": "yes", "questions": "¿Puedo traer a mi hija?"},
                          submit=True)
    workflow.countersign(case_manager, consent, case_manager.full_name, ip="10.0.0.12", user_agent="Firefox 140")
    access = db.session.scalar(select(ClientAccess).where(ClientAccess.client_id == client.id, ClientAccess.active))
    name = " ".join(part for part in (client.first_name, client.last_name) if part)
    workflow.record_signature(access.account if access else None, consent, SignerKind.CLIENT, name, f"{name}, client",
                              method="typed name on the client portal", ip="203.0.113.24",
                              user_agent="Mozilla/5.0 (Android 13; Mobile)", access=access)
    intake = workflow.start_document(case_manager, client, _template(agency_id, "Intake form").id)
    workflow.save_answers(case_manager, intake, {"full_name": client.full_name, "phone": client.phone,
                                                 "household_size": "3"}, submit=False)
