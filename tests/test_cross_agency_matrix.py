"""Tenancy (S15): an actor of agency B gets 404 on every object of agency A, for every endpoint and method.

Generated from `app.url_map`, like the role matrix. Two agencies, each with an administrator, a
supervisor, a case manager (all holding the Messaging and Client Portal permissions), partner
organizations and portal accounts. Agency A also has a client with a photo, a plan, an active share,
a revoked share, third-party and staff contacts, a conversation, a mass send, a portal access and an
invitation.

* PATH_CASES: every endpoint with an id in its path maps to builders of its URL (and plausible,
  otherwise valid form data) from agency A's objects. Each actor of B on that endpoint's site gets
  404 for GET and for POST (with a valid CSRF token); 403 only when their role holds no grant for the
  endpoint at all (the object is never consulted then). Never 200, a redirect, or 500.
* FORM_CASES: endpoints whose form carries an id (organization_id, user_id, client_ids, item_id,
  staff_id ...): B's actor posts agency A's id on B's own objects; the answer is a refusal (404, or
  422/400 when the id is simply not among the form's choices) and nothing changes.
* An endpoint with a path id missing from PATH_CASES, or a POST endpoint that is in neither
  FORM_CASES nor NO_FORM_IDS, fails test_tables_cover_the_url_map.

The operator is deployment-wide by design (it manages every agency's seats) and sees no agency's
data: the role matrix covers it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from portal_app import create_app
from portal_app.accounts.models import User
from portal_app.authz import ROLE_GRANTS, declared_permission
from portal_app.clock import utcnow
from portal_app.documents import services as forms_service
from portal_app.documents import workflow
from portal_app.documents.records import Document
from portal_app.extensions import db
from portal_app.files import store_bytes
from portal_app.messaging.models import Conversation, MassSend, Message
from portal_app.portal_access.models import HiddenItem
from portal_app.programs import services as program_services
from portal_app.programs.models import Program
from portal_app.sharing.models import ClientShare, ServiceProvider
from portal_app.sites import site_for_path
from tests import factories
from tests import factories as invitation_factories
from tests import factories as pf
from tests import factories as sf
from tests.conftest import csrf_token
from tests.cross_agency_domains import DOMAIN_FORM_CASES, DOMAIN_PATH_CASES, kiosk_cases
from tests.documents import documents_helpers
from tests.factories import clients as client_factories
from tests.factories import goals as goal_factories
from tests.referrals.cross_agency import referral_objects
from tests.sites.portal.helpers import portal_login


@dataclass
class World:
    a: dict[str, Any]
    b: dict[str, Any]


@pytest.fixture
def world(people) -> World:
    """Agency A (conftest's people) with one of every object; agency B with its people and its own client."""
    agency_a = people["admin"].organization
    for role in ("admin", "supervisor", "case_manager"):
        people[role].perm_messaging = people[role].perm_client_portal = True
    client = sf.client(agency_a, email="a.client@example.org")
    client.photo = store_bytes(client_factories.image_bytes(), "image/png", "photo.png")
    sf.care_team(client, people["case_manager"])
    partner_org = people["partner"].organization
    revoked_org = factories.partner_organization("Revoked Partner", agency=agency_a)
    revoked_user = factories.user(revoked_org, role="partner", email="pr@revoked.test")
    revoked_contact = sf.contact(client, revoked_user)
    sf.share(client, revoked_org, people["admin"], revoked_at=utcnow(), revoked_by_id=people["admin"].id)
    conversation = Conversation(client=client, staff=people["case_manager"], subject="A only")
    conversation.messages.append(Message(body_html="<p>A</p>", sender_staff_id=people["case_manager"].id))
    db.session.add(conversation)
    mass = MassSend(sender_id=people["case_manager"].id, subject="A", body_html="<p>A</p>", client_ids=[client.id],
                    status="done")
    db.session.add(mass)
    account = pf.account("a.family")
    access = pf.access(account, client, label="mother")
    invitation = invitation_factories.invitation(client, people["admin"])
    form = forms_service.create_template(people["admin"], name="A only form", name_es="Solo A", category="intake")
    forms_service.add_field(people["admin"], form, form.versions[0], form.versions[0].version_id,
                            {"kind": "short_text", "label": {"en": "Name", "es": "Nombre"}})
    program = program_services.create_program(people["admin"], partner_org, name="A only program")
    program_site = program_services.add_location(people["admin"], program, postal_code="97401", address_1="1 Main St")
    db.session.flush()
    a = {**people, "program": program, "program_site": program_site, "agency": agency_a, "client": client, "partner_org": partner_org,
         "provider": sf.provider(client, partner_org), "share": sf.share(client, partner_org, people["admin"]),
         "contact": sf.contact(client, people["partner"]), "staff_contact": sf.contact(client, people["admin"]),
         "revoked_contact": revoked_contact, "conversation": conversation, "mass_send": mass,
         "account": account, "access": access, "invitation": invitation, "form": form}
    a["goal"] = goal_factories.goal(client, people["case_manager"])
    a["intake"] = documents_helpers.form(people["admin"], "Intake form")
    a["document"] = workflow.start_document(people["admin"], client, a["intake"].id)
    a.update(referral_objects(people, client, program))
    a["portal_document"] = workflow.start_document(
        people["admin"], client, documents_helpers.form(people["admin"], "Consent for services").id)
    workflow.send_to_portal(people["admin"], a["portal_document"])

    agency_b = factories.agency("Agency B")
    perms = {"perm_messaging": True, "perm_client_portal": True}
    b_org = factories.partner_organization("B Partner", agency=agency_b)
    b = {"agency": agency_b,
         "admin": factories.user(agency_b, role="admin", email="admin@b.test", **perms),
         "supervisor": factories.user(agency_b, role="supervisor", email="super@b.test", **perms),
         "case_manager": factories.user(agency_b, role="case_manager", email="cm@b.test", **perms),
         "partner": factories.user(b_org, role="partner", email="pb@b.test"),
         "partner_revoked": revoked_user,  # A stopped sharing with this organization
         "partner_org": b_org}
    b["client"] = sf.client(agency_b)
    sf.care_team(b["client"], b["case_manager"])
    b["portal"] = pf.account("b.family")
    pf.access(b["portal"], b["client"], relationship="self")
    b_rep = pf.account("b.rep")
    b["access"] = pf.access(b_rep, b["client"], label="father")
    kiosk_cases.seed(a, b)
    return World(a, b)


def _contact_data(version: int | None = None) -> dict:
    data = {"occurred_at": "2026-11-20T10:00", "method": "phone", "location": "", "notes": "Taken over."}
    return data if version is None else {**data, "version_id": str(version)}


def _client_data(c) -> dict:
    return {"first_name": "Changed", "middle_name": "", "last_name": c.last_name, "date_of_birth": "1990-04-17",
            "phone": "541-555-0199", "email": "", "address": "", "zip_code": "", "preferred_language": "en",
            "version_id": str(c.version_id)}


def _draft_version(w: World) -> dict:
    return {"version_id": str(w.a["form"].versions[0].version_id)}


Case = Callable[[World], tuple[dict, dict]]  # -> (URL arguments, form data for the POST)

PATH_CASES: dict[str, list[Case]] = {
    "staff.admin_organization_edit": [
        lambda w: ({"org_id": w.a["agency"].id}, {"name": "Taken", "version_id": str(w.a["agency"].version_id)}),
        lambda w: ({"org_id": w.a["partner_org"].id},
                   {"name": "Taken", "sharing_enabled": "y", "version_id": str(w.a["partner_org"].version_id)}),
    ],
    "staff.admin_user_edit": [lambda w: ({"user_id": w.a["case_manager"].id}, {
        "email": w.a["case_manager"].email, "password": "taken over at last", "first_name": "X", "last_name": "Y",
        "organization_id": str(w.b["agency"].id), "role": "case_manager", "enabled": "y",
        "version_id": str(w.a["case_manager"].version_id)})],
    "staff.client_profile": [lambda w: ({"client_id": w.a["client"].id}, {})],
    "staff.client_edit": [lambda w: ({"client_id": w.a["client"].id}, _client_data(w.a["client"]))],
    "staff.client_photo": [lambda w: ({"client_id": w.a["client"].id}, {})],
    "staff.client_photo_file": [lambda w, size=size: ({"client_id": w.a["client"].id, "size": size}, {})
                                for size in ("full", "thumb")],
    "staff.client_plan": [lambda w: ({"client_id": w.a["client"].id}, {})],
    "staff.client_log": [lambda w: ({"client_id": w.a["client"].id}, {})],
    "staff.client_provider_add": [lambda w: ({"client_id": w.a["client"].id},
                                             {"organization_id": str(w.b["partner_org"].id), "service": "Taken"})],
    "staff.client_provider_remove": [lambda w: ({"client_id": w.a["client"].id,
                                                 "provider_id": w.a["provider"].id}, {})],
    "staff.client_share": [lambda w: ({"client_id": w.a["client"].id},
                                      {"organization_id": str(w.a["partner_org"].id), "note": "Taken"})],
    "staff.client_share_revoke": [lambda w: ({"client_id": w.a["client"].id, "share_id": w.a["share"].id}, {})],
    "staff.contact_record": [lambda w: ({"client_id": w.a["client"].id}, _contact_data())],
    "staff.contact_detail": [lambda w, key=key: ({"contact_id": w.a[key].id}, {})
                             for key in ("contact", "staff_contact")],
    "staff.contact_edit": [lambda w: ({"contact_id": w.a["contact"].id},
                                      {**_contact_data(w.a["contact"].version_id), "mark_reviewed": "y"})],
    "staff.contact_review": [lambda w: ({"contact_id": w.a["contact"].id}, {"next": ""})],
    "staff.message_new": [lambda w: ({"client_id": w.a["client"].id},
                                     {"subject": "Taken", "body": "Hello", "audience": "all"})],
    "staff.message_detail": [lambda w: ({"conversation_id": w.a["conversation"].id}, {})],
    "staff.message_reply": [lambda w: ({"conversation_id": w.a["conversation"].id}, {"body": "Hello"})],
    "staff.mass_send_detail": [lambda w: ({"job_id": w.a["mass_send"].id}, {})],
    "staff.portal_manager": [lambda w: ({"client_id": w.a["client"].id}, {})],
    "staff.portal_invite_client": [lambda w: ({"client_id": w.a["client"].id}, {"client-email": "x@b.test"})],
    "staff.portal_invite_representative": [lambda w: ({"client_id": w.a["client"].id}, {
        "rep-email": "x@b.test", "rep-relationship_label": "uncle"})],
    "staff.portal_invitation_resend": [lambda w: ({"client_id": w.a["client"].id,
                                                   "invitation_id": w.a["invitation"].id}, {})],
    "staff.portal_invitation_cancel": [lambda w: ({"client_id": w.a["client"].id,
                                                   "invitation_id": w.a["invitation"].id}, {})],
    "staff.portal_access_revoke": [lambda w: ({"client_id": w.a["client"].id, "access_id": w.a["access"].id}, {})],
    "staff.portal_item_hide": [lambda w: ({"client_id": w.a["client"].id, "access_id": w.a["access"].id},
                                          {"item_type": "conversation", "item_id": str(w.a["conversation"].id)})],
    "staff.portal_item_show": [lambda w: ({"client_id": w.a["client"].id, "access_id": w.a["access"].id},
                                          {"item_type": "conversation", "item_id": str(w.a["conversation"].id)})],
    "staff.operator_agency_seats": [lambda w: ({"agency_id": w.a["agency"].id}, {"licence_seats": "1"})],
    "staff.operator_agency_rename": [lambda w: ({"agency_id": w.a["agency"].id},
                                                {"name": "Taken", "version_id": str(w.a["agency"].version_id)})],
    "staff.operator_agency_access": [lambda w: ({"agency_id": w.a["agency"].id}, {"enabled": "0"})],
    "partner.clients_detail": [lambda w: ({"client_id": w.a["client"].id}, {})],
    "partner.clients_photo": [lambda w: ({"client_id": w.a["client"].id}, {})],
    "partner.contacts_new": [lambda w: ({"client_id": w.a["client"].id}, _contact_data())],
    "partner.contacts_edit": [lambda w, key=key: ({"contact_id": w.a[key].id},
                                                  _contact_data(w.a[key].version_id))
                              for key in ("contact", "revoked_contact")],
    "portal.messages_conversation": [lambda w: ({"conversation_id": w.a["conversation"].id}, {"body": "Hello"})],
    "portal.document_fill": [lambda w: ({"document_id": w.a["portal_document"].id}, {"action": "save"})],
    "portal.document_sign": [lambda w: ({"document_id": w.a["portal_document"].id},
                                        {"action": "decline", "reason": "Taken"})],
    "portal.document_pdf": [lambda w: ({"document_id": w.a["portal_document"].id}, {})],
    "staff.admin_form_edit": [lambda w: ({"template_id": w.a["form"].id}, {
        "name": "Taken", "name_es": "Tomado", "category": "intake", "version_id": str(w.a["form"].version_id)})],
    "staff.admin_form_archive": [lambda w: ({"template_id": w.a["form"].id}, {"archived": "1"})],
    "staff.admin_form_versions": [lambda w: ({"template_id": w.a["form"].id}, {})],
    "staff.admin_form_draft": [lambda w: ({"template_id": w.a["form"].id}, {})],
    "staff.admin_form_preview": [lambda w, lang=lang: ({"template_id": w.a["form"].id, "number": 1, "lang": lang},
                                                       {"f1": "x"}) for lang in ("en", "es")],
    "staff.admin_form_settings": [lambda w: ({"template_id": w.a["form"].id, "number": 1},
                                             {**_draft_version(w), "paper_only": "y"})],
    "staff.admin_form_field_new": [lambda w: ({"template_id": w.a["form"].id, "number": 1, "kind": "short_text"},
                                              {**_draft_version(w), "label_en": "Taken", "label_es": "Tomado"})],
    "staff.admin_form_field_edit": [lambda w: ({"template_id": w.a["form"].id, "number": 1, "key": "f1"},
                                               {**_draft_version(w), "label_en": "Taken", "label_es": "Tomado"})],
    "staff.admin_form_field_move": [lambda w: ({"template_id": w.a["form"].id, "number": 1, "key": "f1"},
                                               {**_draft_version(w), "direction": "down"})],
    "staff.admin_form_field_remove": [lambda w: ({"template_id": w.a["form"].id, "number": 1, "key": "f1"},
                                                 _draft_version(w))],
    "staff.admin_form_publish": [lambda w: ({"template_id": w.a["form"].id, "number": 1}, _draft_version(w))],
    "staff.client_documents": [lambda w: ({"client_id": w.a["client"].id}, {})],
    "staff.document_start": [lambda w: ({"client_id": w.a["client"].id}, {"template_id": str(w.a["intake"].id)})],
    "staff.document_detail": [lambda w: ({"document_id": w.a["document"].id}, {})],
    "staff.document_fill": [lambda w: ({"document_id": w.a["document"].id}, {"action": "save", "full_name": "Taken"})],
    "staff.document_pdf_status": [lambda w: ({"document_id": w.a["document"].id}, {})],
    "staff.document_send": [lambda w: ({"document_id": w.a["document"].id}, {})],
    "staff.document_email": [lambda w: ({"document_id": w.a["portal_document"].id}, {"access_id": "1"})],
    "staff.document_sign_in_person": [lambda w: ({"document_id": w.a["document"].id},
                                                 {"signer": "client", "typed_name": "Taken", "intent": "y"})],
    "staff.document_countersign": [lambda w: ({"document_id": w.a["document"].id},
                                              {"typed_name": "Taken Over", "intent": "y"})],
    "staff.document_void": [lambda w: ({"document_id": w.a["document"].id}, {"reason": "Taken over"})],
    "staff.document_paper": [lambda w: ({"document_id": w.a["document"].id}, {})],
    "staff.document_pdf": [lambda w: ({"document_id": w.a["document"].id}, {})],
}
for _site_name, _prefix in (("staff", "staff.admin_"), ("partner", "partner.")):
    PATH_CASES.update({
        f"{_prefix}program_edit": [lambda w: ({"program_id": w.a["program"].id}, {
            "name": "Taken", "capacity": "accepting", "version_id": str(w.a["program"].version_id)})],
        f"{_prefix}program_location_add": [lambda w: ({"program_id": w.a["program"].id},
                                                      {"address_1": "2 Main St", "postal_code": "97402"})],
        f"{_prefix}program_claimers": [lambda w: ({"program_id": w.a["program"].id},
                                                  {"user_ids": [str(w.a["partner"].id)]})],
        f"{_prefix}program_location_remove": [lambda w: ({"program_id": w.a["program"].id,
                                                          "location_id": w.a["program_site"].id}, {})],
    })
PATH_CASES.update(DOMAIN_PATH_CASES)  # goals, ROIs, referrals, appointments ...
# Path arguments that are not object ids: signed tokens (their own tests cover tampering).
NOT_OBJECT_IDS = {"links.invitation", "links.reset", "links.referral_action", "links.document_link", "static"}


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


FormCase = Callable[[World], tuple[dict, dict, Callable[[], bool]]]  # -> (URL args, form, "nothing changed")

FORM_CASES: dict[str, FormCase] = {
    "staff.admin_user_new": lambda w: ({}, {
        "email": "mole@b.test", "password": "twelve chars long", "first_name": "Mo", "last_name": "Le",
        "organization_id": str(w.a["agency"].id), "role": "case_manager", "enabled": "y"},
        lambda: _count(User, User.email == "mole@b.test") == 0),
    "staff.admin_user_toggle": lambda w: ({}, {"user_id": str(w.a["supervisor"].id), "enabled": "0"},
                                          lambda: db.session.get(User, w.a["supervisor"].id).enabled),
    "staff.mass_send_new": lambda w: ({}, {"client_ids": [str(w.a["client"].id), str(w.b["client"].id)],
                                           "subject": "Taken", "body": "Hello"},
                                      lambda: _count(MassSend) == 1),
    "staff.client_provider_add": lambda w: ({"client_id": w.b["client"].id},
                                            {"organization_id": str(w.a["partner_org"].id), "service": "Counseling"},
                                            lambda: _count(ServiceProvider,
                                                           ServiceProvider.client_id == w.b["client"].id) == 0),
    "staff.client_share": lambda w: ({"client_id": w.b["client"].id},
                                     {"organization_id": str(w.a["partner_org"].id), "note": "Taken"},
                                     lambda: _count(ClientShare, ClientShare.client_id == w.b["client"].id) == 0),
    "staff.message_new": lambda w: ({"client_id": w.b["client"].id},
                                    {"subject": "Taken", "body": "Hello", "audience": "chosen",
                                     "account_ids": [str(w.a["account"].id)]},
                                    lambda: _count(Conversation) == 1),
    "staff.portal_item_hide": lambda w: ({"client_id": w.b["client"].id, "access_id": w.b["access"].id},
                                         {"item_type": "conversation", "item_id": str(w.a["conversation"].id)},
                                         lambda: _count(HiddenItem, HiddenItem.access_id == w.b["access"].id) == 0),
    "staff.document_start": lambda w: ({"client_id": w.b["client"].id}, {"template_id": str(w.a["intake"].id)},
                                       lambda: _count(Document, Document.client_id == w.b["client"].id) == 0),
    "staff.admin_program_new": lambda w: ({}, {"organization_id": str(w.a["partner_org"].id), "name": "Taken",
                                               "capacity": "accepting"},
                                          lambda: _count(Program, Program.name == "Taken") == 0),
    "partner.program_new": lambda w: ({}, {"organization_id": str(w.a["partner_org"].id), "name": "Taken",
                                           "capacity": "accepting"},
                                      lambda: _count(Program, Program.name == "Taken") == 0),
    "portal.acting_for": lambda w: ({}, {"client_id": str(w.a["client"].id)}, lambda: True),
    "portal.messages_new": lambda w: ({}, {"staff_id": str(w.a["case_manager"].id), "subject": "Hi",
                                           "body": "Hello"}, lambda: _count(Conversation) == 1),
}
FORM_CASES.update(DOMAIN_FORM_CASES)
# POST endpoints whose form carries no object id (sign-in, own account, own agency, a new record).
NO_FORM_IDS = {
    "staff.login", "staff.logout", "staff.account_password", "staff.account_client_contact",
    "staff.admin_organization_new", "staff.admin_settings", "staff.admin_form_new",
    "staff.client_new", "staff.operator_agency_new", "staff.admin_document_category_add",
    "partner.login", "partner.logout", "partner.account_password",
    "portal.login", "portal.logout", "portal.language", "portal.account", "portal.account_password",
    "portal.esign_withdraw", "portal.esign_give",
    "portal.password_forgot", "portal.password_reset", "portal.register", "portal.register_existing",
    "kiosk.login", "kiosk.language",
    "links.verify", "links.verify_code", "links.language",  # public: a file or a code, looked up deployment-wide; the language switch
} | kiosk_cases.NO_FORM_IDS

ACTORS = {"staff": ("admin", "supervisor", "case_manager"), "partner": ("partner", "partner_revoked"),
          "portal": ("portal",), "kiosk": ()}
TOKEN_PAGES = {"staff": "/staff/account/password", "partner": "/partner/account/password",
               "portal": "/portal/account"}

_APP = create_app("test", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
_RULES = {r.endpoint: r for r in _APP.url_map.iter_rules()}


def _role(actor: str) -> str:
    return {"partner_revoked": "partner"}.get(actor, actor)


def _granted(endpoint: str, actor: str) -> bool:
    permission = declared_permission(_APP.view_functions[endpoint])
    return _role(actor) in ROLE_GRANTS.get(permission, frozenset())


def _site(endpoint: str) -> str:
    return site_for_path(_RULES[endpoint].rule)


PATH_PARAMS = [
    pytest.param(endpoint, i, actor, method, id=f"{endpoint}[{i}]-{actor}-{method}")
    for endpoint, builders in sorted(PATH_CASES.items())
    for i in range(len(builders))
    for actor in ACTORS[_site(endpoint)]
    for method in sorted(_RULES[endpoint].methods & {"GET", "POST"})
]
FORM_PARAMS = [pytest.param(endpoint, actor, id=f"{endpoint}-{actor}")
               for endpoint in sorted(FORM_CASES) for actor in ACTORS[_site(endpoint)]
               if _granted(endpoint, actor)]


def _sign_in(client, auth, w: World, actor: str) -> None:
    person = w.b[actor]
    if actor == "portal":
        resp = portal_login(client, person.username)
    else:
        resp = auth.login(person)
    assert resp.status_code == 302


def test_tables_cover_the_url_map(app):
    """A new endpoint with an id in its path or form must get its case here."""
    rules = list(app.url_map.iter_rules())
    with_path_ids = {r.endpoint for r in rules if any(a.endswith("_id") for a in r.arguments)}
    missing = sorted(with_path_ids - PATH_CASES.keys() - NOT_OBJECT_IDS)
    assert not missing, f"endpoints with an id in their path and no cross-agency case: {missing}"
    with_args = {r.endpoint for r in rules if r.arguments}
    assert not (with_args - PATH_CASES.keys() - NOT_OBJECT_IDS), "path arguments nobody classified"
    posts = {r.endpoint for r in rules if "POST" in r.methods and not r.arguments}
    unclassified = sorted(posts - FORM_CASES.keys() - NO_FORM_IDS)
    assert not unclassified, f"POST endpoints: add a FORM_CASES entry or list them in NO_FORM_IDS: {unclassified}"
    stale = (PATH_CASES.keys() | FORM_CASES.keys() | NO_FORM_IDS) - {r.endpoint for r in rules}
    assert not stale, f"cases for endpoints that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize(("endpoint", "case", "actor", "method"), PATH_PARAMS)
def test_other_agencys_object_is_not_found(app, client, auth, world, endpoint, case, actor, method):
    """404 on agency A's object, for GET and POST; 403 only when the role holds no grant at all."""
    args, data = PATH_CASES[endpoint][case](world)
    url = app.url_map.bind("localhost").build(endpoint, args)
    _sign_in(client, auth, world, actor)
    if method == "POST":
        token = csrf_token(client, TOKEN_PAGES[_site(endpoint)])
        resp = client.post(url, data={**data, "csrf_token": token})
    else:
        resp = client.get(url)
    expected = 404 if _granted(endpoint, actor) else 403
    assert resp.status_code == expected, (url, method, actor, resp.status_code)
    body = resp.get_data(as_text=True)
    assert world.a["client"].last_name not in body and world.a["case_manager"].email not in body


@pytest.mark.parametrize(("endpoint", "actor"), FORM_PARAMS)
def test_other_agencys_id_in_a_form_is_refused(app, client, auth, world, endpoint, actor):
    """An id of agency A in B's form: a refusal (never 2xx, a redirect or 500), and nothing changes."""
    args, data, unchanged = FORM_CASES[endpoint](world)
    url = app.url_map.bind("localhost").build(endpoint, args)
    _sign_in(client, auth, world, actor)
    token = csrf_token(client, TOKEN_PAGES[_site(endpoint)])
    resp = client.post(url, data={**data, "csrf_token": token})
    assert resp.status_code in (400, 404, 409, 422), (url, actor, resp.status_code)
    db.session.expire_all()
    assert unchanged(), (endpoint, actor)
