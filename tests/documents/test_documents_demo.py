"""The demo gives María (Riverside) a completed consent and a draft intake, so the Documents tab is not empty."""
from __future__ import annotations

from sqlalchemy import select

from portal_app.clients.models import Client
from portal_app.demo import load_demo
from portal_app.documents.records import Document
from portal_app.extensions import db
from portal_app.worker import run_document_sealing


def test_demo_documents(app):
    assert load_demo()
    maria = db.session.scalar(select(Client).where(Client.email == "maria.gonzalez@example.org"))
    documents = {}  # the first of each title: other demos (appointments, requests) add later ones of the same forms
    for document in db.session.scalars(select(Document).where(Document.client_id == maria.id).order_by(Document.id)):
        documents.setdefault(document.title(), document)
    consent, intake = documents["Consent for services"], documents["Intake form"]
    assert consent.status == "completed" and {s.signer_kind for s in consent.signatures} == {"client", "staff"}
    assert consent.signatures[-1].access_id is not None  # María signed on her portal account
    assert intake.status == "draft" and intake.answers["household_size"] == "3"
    releases = [d for d in db.session.scalars(select(Document).where(Document.client_id == maria.id))
                if d.title() == "Release of information" and d.status == "completed"]
    assert len(releases) == 2  # María's expired and active releases of information
    assert run_document_sealing(limit=100) >= 3  # the consent, the two releases, and other demos' completed forms
    assert consent.sealed_file is not None and all(r.sealed_file is not None for r in releases)
