"""The objects the route x role matrix (tests/test_authz_matrix.py) requests, and how each actor signs in.

URL_BUILDERS: endpoint -> function(people) returning url_for() arguments, creating the objects it
needs (flushed). An endpoint whose URL has converters and no builder gets dummy ids there.
"""
from __future__ import annotations

from collections.abc import Callable

from portal_app.extensions import db
from portal_app.files import store_bytes
from tests import factories
from tests.factories import clients as client_factories

# Portal actors: the client themself, a guardian of another family acting for two children, and a
# representative from whom another representative's access is hidden. All hold the role "portal".
PORTAL_ACTORS = {"portal", "portal_guardian", "portal_hidden_rep"}


def sign_in(auth, people: dict, actor: str):
    """Sign `actor` in through their site's real sign-in form."""
    if actor in PORTAL_ACTORS:
        from tests.sites.portal.helpers import portal_login

        return portal_login(auth.client, people[actor].username)
    if actor == "kiosk":  # a tablet of the people's agency, paired through the real pairing pages
        from tests.kiosk.kiosk_helpers import pair_response

        return pair_response(auth.client, people["admin"])
    return auth.login(people[actor])


def _reset_token(people: dict) -> str:
    from portal_app.portal_access.accounts import reset_token

    return reset_token(people["portal"])


def _shared_client(people: dict, **kw):
    """A client of the admin's agency, shared with the partner's organization."""
    client = factories.client(people["admin"].organization, **kw)
    factories.share(client, people["partner"].organization, people["admin"])
    return client


def _agency_client(people: dict, photo: bool = False):
    """A client of the people's agency, with a stored photo when asked."""
    client = client_factories.client(people["admin"].organization)
    if photo:
        client.photo = store_bytes(client_factories.image_bytes(), "image/png", "photo.png")
        db.session.flush()
    return client


def _portal_manager_client(people: dict):
    """A client of the people's agency; the staff people hold the "Client Portal" permission."""
    for role in ("admin", "supervisor", "case_manager"):
        people[role].perm_client_portal = True
    db.session.flush()
    return factories.client(people["admin"].organization)


def _invitation_token(people: dict) -> str:
    from portal_app.portal_access.invitations import invitation_token
    from tests import factories as portal_factories

    return invitation_token(portal_factories.invitation(factories.client(people["admin"].organization),
                                                        people["admin"]))


# Public pages that only work with the hand-off cookie of a signed link (S5): without it they answer
# this status, which still counts as "allowed" (their own tests follow the link first).
HANDOFF_PAGES: dict[str, int] = {"portal.register": 400, "portal.document_from_link": 400}

# endpoint -> function(people) returning url_for() arguments, creating the objects it needs.
# Endpoints whose URL has converters and no builder get dummy ids (DUMMY_ARGS): only allowed
# for admin-only endpoints, where 404 then means "allowed but not found".
URL_BUILDERS: dict[str, Callable[[dict], dict]] = {
    "staff.client_profile": lambda people: {"client_id": _agency_client(people).id},
    "staff.client_edit": lambda people: {"client_id": _agency_client(people).id},
    "staff.client_photo": lambda people: {"client_id": _agency_client(people).id},
    "staff.client_photo_file": lambda people: {"client_id": _agency_client(people, photo=True).id, "size": "thumb"},
    "partner.clients_detail": lambda people: {"client_id": _shared_client(people).id},
    "partner.clients_photo": lambda people: {"client_id": _shared_client(people, photo=factories.photo()).id},
    "partner.contacts_new": lambda people: {"client_id": _shared_client(people).id},
    "partner.contacts_edit": lambda people: {"contact_id": factories.contact(
        _shared_client(people), people["partner"]).id},
    "staff.portal_manager": lambda people: {"client_id": _portal_manager_client(people).id},
    "links.invitation": lambda people: {"token": _invitation_token(people)},
    "links.reset": lambda people: {"token": _reset_token(people)},
    "staff.admin_user_edit": lambda people: {"user_id": people["case_manager"].id},
    "staff.admin_organization_edit": lambda people: {"org_id": people["partner"].organization_id},
    "staff.operator_agency_seats": lambda people: {"agency_id": people["admin"].organization_id},
    "staff.operator_agency_rename": lambda people: {"agency_id": people["admin"].organization_id},
    "staff.operator_agency_access": lambda people: {"agency_id": people["admin"].organization_id},
    "staff.client_plan": lambda people: {"client_id": factories.client(people["admin"].organization).id},
    "staff.client_share": lambda people: {"client_id": factories.client(people["admin"].organization).id},
    "staff.client_log": lambda people: {"client_id": factories.client(people["admin"].organization).id},
    "staff.contact_detail": lambda people: {"contact_id": factories.contact(
        factories.client(people["admin"].organization), people["partner"]).id},
    "staff.contact_edit": lambda people: {"contact_id": factories.contact(
        factories.client(people["admin"].organization), people["partner"]).id},
}


def _messaging(people: dict) -> dict:
    """The staff people hold the "Messaging" permission (the agency's module is on); no URL arguments."""
    for role in ("admin", "supervisor", "case_manager"):
        people[role].perm_messaging = True
    db.session.flush()
    return {}


def _conversation(people: dict) -> dict:
    """A conversation about a client on the case manager's care team, with one message."""
    from portal_app.messaging.models import Conversation, Message

    _messaging(people)
    client = factories.client(people["admin"].organization)
    factories.care_team(client, people["case_manager"])
    conversation = Conversation(client=client, staff=people["admin"], subject="Matrix")
    conversation.messages.append(Message(body_html="<p>Hello</p>", sender_staff_id=people["admin"].id))
    db.session.add(conversation)
    db.session.flush()
    return {"conversation_id": conversation.id}


def _mass_send(people: dict) -> dict:
    """A finished mass send by the case manager (so supervisors and admins of the agency see it too)."""
    from portal_app.messaging.models import MassSend

    _messaging(people)
    job = MassSend(sender_id=people["case_manager"].id, subject="Matrix", body_html="<p>Hi</p>", client_ids=[],
                   status="done")
    db.session.add(job)
    db.session.flush()
    return {"job_id": job.id}


def _kiosk_document(people: dict) -> dict:
    """A draft of a form fillable on kiosks, for a client of the people's agency."""
    from portal_app.documents import workflow
    from tests.documents.documents_helpers import form

    template = form(people["admin"], "Intake form")
    return {"document_id": workflow.start_document(people["admin"], factories.client(people["admin"].organization),
                                                   template.id).id}


URL_BUILDERS.update({
    "staff.client_kiosk": lambda people: {"client_id": factories.client(people["admin"].organization).id},
    "staff.document_kiosk": _kiosk_document,
})


URL_BUILDERS.update({
    "staff.message_new": lambda people: {**_messaging(people),
                                         "client_id": factories.client(people["admin"].organization).id},
    "staff.messages": _messaging,
    "staff.mass_send_new": _messaging,
    "staff.message_detail": _conversation,
    "staff.mass_send_detail": _mass_send,
})


def _portal_conversation(people: dict) -> dict:
    """A conversation to all accounts of the client the signed-in portal actor acts for (test_get_matrix
    passes the actor as people["actor"]); any portal actor's client for the other actors."""
    from portal_app.messaging.models import Conversation, Message
    from portal_app.portal_access.queries import accesses_of

    actor = people.get("actor")
    client = accesses_of(people[actor if actor in PORTAL_ACTORS else "portal"])[0].client
    conversation = Conversation(client=client, staff=people["case_manager"], subject="Matrix")
    conversation.messages.append(Message(body_html="<p>Hello</p>", sender_staff_id=people["case_manager"].id))
    db.session.add(conversation)
    db.session.flush()
    return {"conversation_id": conversation.id}


URL_BUILDERS["portal.messages_conversation"] = _portal_conversation


def _form_draft(people: dict) -> dict:
    """A form template of the people's agency whose draft version 1 holds one short-text field "f1"."""
    from portal_app.documents import services as forms_service

    template = forms_service.create_template(people["admin"], name="Matrix form", name_es="Formulario",
                                             category="intake")
    draft = template.versions[0]
    forms_service.add_field(people["admin"], template, draft, draft.version_id,
                            {"kind": "short_text", "label": {"en": "Name", "es": "Nombre"}})
    return {"template_id": template.id, "number": 1}


URL_BUILDERS.update({
    "staff.admin_form_edit": lambda people: {"template_id": _form_draft(people)["template_id"]},
    "staff.admin_form_versions": lambda people: {"template_id": _form_draft(people)["template_id"]},
    "staff.admin_form_preview": _form_draft,
    "staff.admin_form_settings": _form_draft,
    "staff.admin_form_field_new": lambda people: {**_form_draft(people), "kind": "number"},
    "staff.admin_form_field_edit": lambda people: {**_form_draft(people), "key": "f1"},
})


def _document(people: dict, paper_copy: bool = False) -> dict:
    """A draft intake for a client of the people's agency (or a paper-only notice with its scan on file)."""
    from portal_app.documents import workflow
    from tests.documents.documents_helpers import form

    client = factories.client(people["admin"].organization)
    if not paper_copy:
        return {"document_id": workflow.start_document(people["admin"], client, form(people["admin"], "Intake form").id).id}
    notice = form(people["admin"], "Notice of termination of benefits")
    document = workflow.start_document(people["admin"], client, notice.id)
    workflow.attach_paper_copy(people["admin"], document, b"%PDF-1.4\n%%EOF\n")
    return {"document_id": document.id}


URL_BUILDERS.update({
    "staff.client_documents": lambda people: {"client_id": factories.client(people["admin"].organization).id},
    "staff.document_start": lambda people: {"client_id": factories.client(people["admin"].organization).id},
    "staff.document_detail": _document,
    "staff.document_fill": _document,
    "staff.document_pdf_status": _document,
    "staff.document_pdf": lambda people: _document(people, paper_copy=True),
})


def _portal_document(people: dict, sealed: bool = False) -> dict:
    """A consent form sent to the portal for the client the signed-in portal actor acts for (any portal
    actor's client for the other actors); completed and sealed for the PDF download."""
    from portal_app.documents import workflow
    from portal_app.documents.document_pdf import seal_document
    from portal_app.portal_access.queries import accesses_of
    from tests.documents.documents_helpers import CONSENT_ANSWERS, client_signs, form

    actor = people.get("actor")
    client = accesses_of(people[actor if actor in PORTAL_ACTORS else "portal"])[0].client
    document = workflow.start_document(people["admin"], client, form(people["admin"], "Consent for services").id)
    workflow.send_to_portal(people["admin"], document)
    if sealed:
        workflow.save_answers(people["admin"], document, CONSENT_ANSWERS, submit=True)
        workflow.countersign(people["case_manager"], document, "Casey Case")
        client_signs(document)
        seal_document(document)
    return {"document_id": document.id}


def _document_link(people: dict) -> dict:
    """A draft emailed to one representative of an agency client: the document id and the emailed token."""
    from portal_app.documents import emailed, workflow
    from portal_app.tokens import make_token
    from tests.documents.documents_helpers import form

    client = factories.client(people["admin"].organization)
    access = factories.access(factories.account(), client, label="mother", can_sign=True)
    document = workflow.start_document(people["admin"], client, form(people["admin"], "Consent for services").id)
    link = emailed.email_to_representative(people["admin"], document, access.id)
    return {"document_id": document.id,
            "token": make_token(emailed.LINK_PURPOSE, {"l": link.id, "d": document.id, "n": link.nonce})}


URL_BUILDERS.update({
    "links.document_link": _document_link,
    "portal.document_fill": _portal_document,
    "portal.document_sign": _portal_document,
    "portal.document_pdf": lambda people: _portal_document(people, sealed=True),
})


def _program(people: dict, owner: str) -> dict:
    """A program (with one location) of the partner's organization, which the admin's agency manages."""
    from portal_app.programs import services as program_services

    actor = people[owner]
    program = program_services.create_program(actor, people["partner"].organization, name="Matrix program")
    program_services.add_location(actor, program, postal_code="97401", address_1="1 Main St")
    return {"program_id": program.id}


URL_BUILDERS.update({
    "staff.admin_program_edit": lambda people: _program(people, "admin"),
    "partner.program_edit": lambda people: _program(people, "partner"),
    "staff.directory": lambda people: {"zip": "97401"},
})


from tests import authz_objects_domains  # noqa: E402,F401  (goals, ROIs, referrals, appointments, requests)
