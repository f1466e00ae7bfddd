"""Published demo forms and documents of a client, for the documents tests."""
from __future__ import annotations

from portal_app.documents import workflow
from portal_app.documents.demo import DEMO_TEMPLATES
from portal_app.documents.records import SignerKind
from portal_app.documents.services import install_template
from tests import factories as f

INTAKE_ANSWERS = {"full_name": "Maria Lopez Quintero", "date_of_birth": "1990-04-17", "household_size": "3",
                  "language": "spanish", "needs": ["housing", "food"], "reason": "Help with rent this winter.",
                  "safe_at_home": "yes"}
CONSENT_ANSWERS = {"understood": "yes", "questions": "When are the group sessions held?"}


def form(admin, name: str):
    """The demo template called `name` ("Intake form", "Consent for services", "Notice of termination of
    benefits" ...), published in the admin's agency."""
    spec = next(s for s in DEMO_TEMPLATES if s["name"] == name)
    return install_template(admin, **spec)


def choice_values(template, key: str) -> list[str]:
    field = template.versions[-1].field(key)
    return [c["value"] for c in field["choices"]]


def intake_answers(template) -> dict:
    """Valid answers to the demo intake (its choice values are generated from the labels)."""
    language = choice_values(template, "language")[1]
    needs = choice_values(template, "needs")[:2]
    return {**INTAKE_ANSWERS, "language": language, "needs": needs}


def submitted(actor, client, template, answers: dict):
    """A document of `template` with `answers` submitted (waiting for signatures)."""
    document = workflow.start_document(actor, client, template.id)
    workflow.save_answers(actor, document, answers, submit=True)
    return document


def client_signs(document, name: str = "Maria Lopez Quintero", access=None):
    """The client's own signature, as the portal will record it (item 3)."""
    return workflow.record_signature(None, document, SignerKind.CLIENT, name, f"{name}, client",
                                     method="typed name on the client portal", ip="203.0.113.9",
                                     user_agent="Test phone", access=access)


def family_with_sent_consent(people) -> dict:
    """Sam Delgado (own account "sam") and his mother Ana ("ana", may sign); the demo consent form started by
    the admin and sent to the portal. Keys: sam, own, mother (their accesses), document, people."""
    admin = people["admin"]
    sam = f.client(admin.organization, first_name="Sam", last_name="Delgado")
    own = f.access(f.account("sam", full_name="Sam Delgado"), sam, "self")
    mother = f.access(f.account("ana", full_name="Ana Delgado"), sam, label="mother", can_sign=True)
    document = workflow.start_document(admin, sam, form(admin, "Consent for services").id)
    workflow.send_to_portal(admin, document)
    return {"sam": sam, "own": own, "mother": mother, "document": document, "people": people}
