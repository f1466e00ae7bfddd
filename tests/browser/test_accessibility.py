"""Accessibility in Chromium (A1, A3; issue 10 items 10-12).

Every page a person reaches, found from the URL map (a new GET endpoint is visited without editing this
file, or the test names it): axe-core finds no WCAG 2.1 A/AA violation at 1366 px and at 360 px; on the
portal, the kiosk and the pages clients land on, every target is at least 44 x 44 CSS px; everywhere,
the keyboard focus ring is at least 2 px and contrasts 3:1 with what is behind it. One seeded server and
one browser for the module; each kind of person signs in once.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from portal_app.authz import PUBLIC, ROLE_GRANTS, declared_permission
from tests.browser.a11y import axe_violations, poor_focus_rings, small_targets
from tests.browser.conftest import LiveServer, seeded_server
from tests.browser.test_portal_family import portal_sign_in
from tests.browser.test_sites_side_by_side import sign_in

VIEWPORTS = ((1366, 900), (360, 740))
CLIENT_SITES = ("portal", "kiosk", "links", "public")  # phones and tablets: big targets (A3)

# GET endpoints that are not visited, and why. Everything else in the URL map is.
EXCLUDED = {
    "static": "files, not pages",
    "public.healthz": "a plain-text probe for the load balancer",
    "public.readyz": "a plain-text probe for the load balancer",
    "staff.client_photo_file": "an image",
    "partner.clients_photo": "an image",
    "staff.document_pdf": "a PDF download",
    "portal.request_roi": "a redirect to the ROI form's fill or sign page (portal.document_fill/_sign, walked)",
    "portal.document_pdf": "a PDF download",
    "staff.document_pdf_status": "an htmx fragment polled inside the document page (visited there)",
    "kiosk.poll": "an htmx fragment polled by the welcome screen (its markup is the welcome page's own partial)",
    "kiosk.pair_status": "polled by the pairing page: an empty 204 (or a redirect header)",
    "portal.register": "needs the hand-off cookie of an invitation: reached through links.invitation",
    "portal.password_reset": "needs the hand-off cookie of a reset link: reached through links.reset",
    "links.document_link": "a redirect to the portal when its token is good; its problem page is in ERROR_PAGES",
    "portal.document_from_link": "needs the hand-off cookie of an emailed document link; without it, the "
                                 "link-problem page (in ERROR_PAGES)",
    "hsds_api.services": "JSON (the HSDS API), not a page",
    "hsds_api.service_at_locations": "JSON (the HSDS API), not a page",
    "staff.request_file": "a PDF download",
}

# Who opens an endpoint, by the grants of its declared permission (first match).
ACTOR_FOR_GRANT = (("case_manager", "case_manager"), ("admin", "admin"), ("operator", "operator"),
                   ("partner", "partner"), ("portal", "portal_self"), ("kiosk", "kiosk"))
# Portal pages are also read by a guardian acting for two children, in Spanish (longer words).
ALSO = {"portal_self": ("guardian_es",)}

# Pages beyond the URL map's GET endpoints: error pages and link problems (actor, path, status).
ERROR_PAGES = (
    ("anonymous", "/no-such-page", 404), ("anonymous", "/portal/no-such-page", 404),
    ("anonymous", "/kiosk/no-such-page", 404), ("anonymous", "/links/no-such-page", 404),
    ("anonymous", "/links/invite/not-a-token", 400), ("anonymous", "/links/reset/not-a-token", 400),
    ("anonymous", "/links/referral/not-a-token", 400),
    ("anonymous", "/links/documents/1/not-a-token", 400), ("portal_self", "/portal/documents/from-link", 400),
    ("case_manager", "/staff/no-such-page", 404), ("case_manager", "/staff/admin/users", 403),
    ("partner", "/partner/no-such-page", 404), ("portal_self", "/portal/no-such-page", 404),
    ("guardian_es", "/portal/no-such-page", 404),
)

# Forms sent empty, to check the error state too (actor, path; the last submit button of the page).
EMPTY_FORMS = (
    ("anonymous", "/staff/login"), ("anonymous", "/partner/login"), ("anonymous", "/portal/login"),
    ("anonymous", "/portal/password/forgot"),
    ("case_manager", "/staff/clients/new"), ("case_manager", "/staff/clients/{client_id}/messages/new"),
    ("case_manager", "/staff/account/password"), ("partner", "/partner/clients/{client_id}/contacts/new"),
    ("partner", "/partner/programs/new"),
    ("portal_self", "/portal/messages/new"), ("guardian_es", "/portal/account/password"),
    ("case_manager", "/staff/clients/{client_id}/goals/new"),
    ("case_manager", "/staff/clients/{client_id}/appointments/new"),
    ("guardian_es", "/portal/appointments/{appointment_guardian}/reschedule"),
)
SENT_EMPTY = -1  # the expected "status" of a form sent empty: any, as long as it names what is wrong


def _more(people: dict) -> dict:
    """Objects for every URL argument: Jamie shared with the partner (a contact of theirs waits for review),
    a conversation each for Jamie and for Avery, a finished mass send, an operator, an invitation and a
    reset link. Committed."""
    from sqlalchemy import select

    from portal_app.accounts.models import User
    from portal_app.clients.models import Client
    from portal_app.documents import services as forms_service
    from portal_app.extensions import db
    from portal_app.messaging.models import Conversation, MassSend, Message
    from portal_app.portal_access.accounts import reset_token
    from portal_app.portal_access.invitations import invitation_token
    from portal_app.portal_access.models import PortalAccount
    from tests import factories
    from tests import factories as portal_factories
    from tests import factories as sharing_factories
    from tests.kiosk.kiosk_helpers import kiosk

    user = {role: db.session.scalar(select(User).filter_by(email=people[role]["email"]))
            for role in ("admin", "case_manager", "partner")}
    jamie = db.session.get(Client, int(people["client"]["id"]))
    avery = db.session.scalar(select(Client).filter_by(first_name="Avery"))
    agency, partner_org = user["admin"].organization, user["partner"].organization
    agency.phone, agency.address = "(541) 555-0100", "100 Main St, Riverside, OR 97401"
    user["case_manager"].perm_client_portal = True
    sharing_factories.provider(jamie, partner_org, added_by=user["case_manager"])
    sharing_factories.share(jamie, partner_org, user["case_manager"])
    contact = sharing_factories.contact(jamie, user["partner"])
    conversations = {}
    for name, client in (("jamie", jamie), ("avery", avery)):
        conversation = Conversation(client=client, staff=user["case_manager"], subject="Friday appointment")
        conversation.messages.append(Message(body_html="<p>Bring your <strong>ID</strong>.</p>",
                                             sender_staff_id=user["case_manager"].id))
        db.session.add(conversation)
        conversations[name] = conversation
    job = MassSend(sender_id=user["case_manager"].id, subject="Office closed", body_html="<p>Closed Monday.</p>",
                   client_ids=[jamie.id], status="done", total=1, processed=1, delivered=1)
    managed = factories.partner_organization("Valley Recovery", agency=agency)  # the agency manages it
    operator = factories.user(factories.operators(), role="operator", email="olive@operators.test")
    db.session.add(job)
    db.session.flush()
    invitation = portal_factories.invitation(avery, user["case_manager"], relationship="representative",
                                             label="father")
    jamie_account = db.session.scalar(select(PortalAccount).filter_by(username="jamie"))
    template = forms_service.create_template(user["admin"], name="Intake (draft)", name_es="Ingreso (borrador)",
                                             category="intake")
    draft = template.versions[0]
    forms_service.add_field(user["admin"], template, draft, draft.version_id,
                            {"kind": "short_text", "label": {"en": "Name", "es": "Nombre"}})
    from portal_app.documents import workflow
    from tests.documents.documents_helpers import CONSENT_ANSWERS, form
    consent = form(user["admin"], "Consent for services")  # a document waiting for signatures: every panel shows
    document = workflow.start_document(user["case_manager"], jamie, consent.id)
    workflow.save_answers(user["case_manager"], document, CONSENT_ANSWERS, submit=True)
    draft_document = workflow.start_document(user["case_manager"], jamie, consent.id)  # the fill page
    at_home = {}  # a document each child's family fills and signs on the portal
    for who, child in (("portal_self", jamie), ("guardian_es", avery)):
        at_home[who] = workflow.start_document(user["case_manager"], child, consent.id)
        workflow.send_to_portal(user["case_manager"], at_home[who])
    from portal_app.programs import services as program_services

    programs = {}
    for key, actor, org in (("partner", user["partner"], partner_org), ("admin", user["admin"], managed)):
        programs[key] = program_services.create_program(actor, org, name=f"{org.name} program", categories=["food"],
                                                        capacity="waitlist", capacity_note="About 2 weeks")
        program_services.add_location(actor, programs[key], postal_code="97401", address_1="1 Main St")
    ids = {
        "document_id": document.id, "draft_document_id": draft_document.id,
        "portal_document:portal_self": at_home["portal_self"].id, "portal_document:guardian_es": at_home["guardian_es"].id,
        "program_id": programs["partner"].id, "admin_program_id": programs["admin"].id,
        "client_id": jamie.id, "contact_id": contact.id, "job_id": job.id, "user_id": user["case_manager"].id,
        "org_id": managed.id, "agency_id": agency.id, "operator": operator.email,
        "conversation:portal_self": conversations["jamie"].id, "conversation:guardian_es": conversations["avery"].id,
        "conversation": conversations["jamie"].id,
        "invitation": invitation_token(invitation), "reset": reset_token(jamie_account),
        "template_id": template.id, "number": draft.number, "key": draft.fields[0]["key"],
    }
    from tests.browser.a11y_domains import seed_domains
    from tests.browser.a11y_requests import seed_requests
    ids.update(seed_domains(user, jamie, avery, programs, consent))
    ids.update(seed_requests(user, {"portal_self": jamie, "guardian_es": avery}))
    tablet = kiosk(user["admin"], "A11y tablet")  # the "kiosk" actor pairs it through the admin's page
    ids.update({"location_id": tablet.location_id, "kiosk_id": tablet.id})
    db.session.commit()
    return ids


# endpoint -> function(ids, actor) returning url_for() arguments.
ARGS: dict[str, Callable[[dict, str], dict]] = {
    "links.invitation": lambda ids, actor: {"token": ids["invitation"]},
    "links.reset": lambda ids, actor: {"token": ids["reset"]},
    "staff.message_detail": lambda ids, actor: {"conversation_id": ids["conversation"]},
    "staff.document_fill": lambda ids, actor: {"document_id": ids["draft_document_id"]},
    "portal.messages_conversation": lambda ids, actor: {"conversation_id": ids[f"conversation:{actor}"]},
    "portal.document_fill": lambda ids, actor: {"document_id": ids[f"portal_document:{actor}"]},
    "portal.document_sign": lambda ids, actor: {"document_id": ids[f"portal_document:{actor}"]},
    "portal.roi_revoke": lambda ids, actor: {"roi_id": ids[f"roi:{actor}"]},
    "portal.appointment_reschedule": lambda ids, actor: {"appointment_id": ids[f"appointment:{actor}"]},
    "staff.admin_program_edit": lambda ids, actor: {"program_id": ids["admin_program_id"]},
    "staff.directory": lambda ids, actor: {"zip": "97401"},
    "staff.referral_new": lambda ids, actor: {"client_id": ids["client_id"], "program_id": ids["program_id"]},
    "links.referral_action": lambda ids, actor: {"token": ids["referral_token"]},
    "staff.admin_form_field_new": lambda ids, actor: {"template_id": ids["template_id"], "number": ids["number"],
                                                      "kind": "single_choice"},
    **{f"portal.request_{kind}": (lambda ids, actor, kind=kind: {"request_id": ids[f"request_{kind}:{actor}"]})
       for kind in ("assessment", "document", "location", "cant")},
}


def _default_args(rule, ids: dict, actor: str) -> dict:
    missing = sorted(rule.arguments - ids.keys())
    assert not missing, (f"{rule.endpoint} needs {missing}: seed the object in _more() and add its id, "
                         "or add the endpoint to ARGS (or to EXCLUDED, with the reason)")
    return {name: ids[name] for name in rule.arguments}


def pages_by_actor(app, ids: dict) -> dict[str, list[tuple[str, int]]]:
    """actor -> [(path, expected status)] for every GET endpoint of the URL map but the excluded ones."""
    adapter = app.url_map.bind("localhost")
    pages: dict[str, list[tuple[str, int]]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in EXCLUDED:
            continue
        permission = declared_permission(app.view_functions[rule.endpoint])
        grants = {"anonymous"} if permission == PUBLIC else ROLE_GRANTS[permission]
        actor = "anonymous" if permission == PUBLIC else next((a for g, a in ACTOR_FOR_GRANT if g in grants), None)
        assert actor, f"nobody here may open {rule.endpoint} ({permission}): add who to ACTOR_FOR_GRANT"
        for who in (actor, *ALSO.get(actor, ())):
            values = ARGS.get(rule.endpoint, _default_args)
            args = values(rule, ids, who) if values is _default_args else values(ids, who)
            pages.setdefault(who, []).append((adapter.build(rule.endpoint, args), 200))
    for actor, path, status in ERROR_PAGES:
        pages.setdefault(actor, []).append((path, status))
    for actor, path in EMPTY_FORMS:
        pages[actor].append((path.format(**ids), SENT_EMPTY))
    return pages


def send_empty(page: Page) -> None:
    """Send the page's last form empty, past the browser's own checks; wait for the answer to show."""
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.evaluate("""() => {
          const button = [...document.querySelectorAll('main form[method=post] button[type=submit]')].pop();
          button.form.noValidate = true;
          button.click();
        }""")
    page.wait_for_load_state()
    expect(page.locator("main .error, main .error-summary, main .flash-error").first).to_be_visible()


@pytest.fixture(autouse=True)
def _db():
    """No rolled-back test transaction here: the module's server commits into its scratch database."""
    yield None


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[LiveServer, dict, dict]]:
    """The seeded server (module-wide), its extra object ids, and the pages each actor visits."""
    with seeded_server(tmp_path_factory.mktemp("a11y"), "a11y", _more) as (server, ids):
        yield server, ids, pages_by_actor(url_map_app(), ids)


@functools.cache
def url_map_app():
    """An application built only to read its URL map and view functions."""
    from portal_app import create_app

    return create_app("test", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def signed_in(browser, server: LiveServer, ids: dict, actor: str) -> Page:
    """A new page of a new browser context, signed in as `actor` through the real sign-in forms."""
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    people, base = server.people, server.url
    if actor in ("case_manager", "admin"):
        sign_in(page, f"{base}/staff/login", people[actor]["email"], server.password)
    elif actor == "operator":
        sign_in(page, f"{base}/staff/login", ids["operator"], server.password)
    elif actor == "partner":
        sign_in(page, f"{base}/partner/login", people["partner"]["email"], server.password)
    elif actor == "portal_self":
        portal_sign_in(page, base, people["jamie"]["username"], server.password)
    elif actor == "guardian_es":
        portal_sign_in(page, base, people["guardian"]["username"], server.password)
        page.locator("form.lang").get_by_role("button", name="Español").click()
        expect(page.locator("html")).to_have_attribute("lang", "es")
    elif actor == "kiosk":
        pair_tablet(browser, server, page, ids["kiosk_id"])
    if actor != "anonymous":
        expect(page).not_to_have_url(f"{base}/staff/login")
    return page


def pair_tablet(browser, server: LiveServer, tablet: Page, kiosk_id: int) -> None:
    """The tablet shows a pairing code; the administrator types it on the kiosk's page."""
    tablet.goto(f"{server.url}/kiosk/login")
    tablet.get_by_role("button", name="Show a pairing code").click()
    code = tablet.locator("#pairing-code").inner_text().strip()
    admin = browser.new_context().new_page()
    sign_in(admin, f"{server.url}/staff/login", server.people["admin"]["email"], server.password)
    admin.goto(f"{server.url}/staff/admin/kiosks/{kiosk_id}")
    admin.get_by_label("Pairing code shown on the tablet").fill(code)
    admin.get_by_role("button", name="Pair").click()
    admin.context.close()
    expect(tablet).to_have_url(f"{server.url}/kiosk/", timeout=5000)


def _site_of(path: str) -> str:
    first = path.strip("/").split("/")[0]
    return first if first in ("staff", "partner", "portal", "kiosk", "links") else "public"


ACTORS = ("anonymous", "case_manager", "admin", "operator", "partner", "portal_self", "guardian_es", "kiosk")


@pytest.mark.browser
def test_every_get_endpoint_is_visited_or_excluded_with_a_reason(site):
    _, _, pages = site
    get_endpoints = {rule.endpoint for rule in url_map_app().url_map.iter_rules() if "GET" in rule.methods}
    assert not EXCLUDED.keys() - get_endpoints, "EXCLUDED names endpoints that no longer exist"
    assert set(pages) == set(ACTORS)
    visited = sum(len(paths) for paths in pages.values())
    assert visited >= len(get_endpoints - EXCLUDED.keys()) + len(ERROR_PAGES) + len(EMPTY_FORMS)


@pytest.mark.browser
@pytest.mark.parametrize("actor", ACTORS)
def test_every_page_passes_axe_targets_and_focus(site, browser, actor):
    server, ids, pages = site
    assert pages.get(actor), f"{actor} has no pages"
    page = signed_in(browser, server, ids, actor)
    problems: dict[str, list] = {}
    try:
        for path, status in pages[actor]:
            response = page.goto(server.url + path)
            expected = 200 if status == SENT_EMPTY else status
            assert response is not None and response.status == expected, (path, response.status)
            if status == SENT_EMPTY:
                send_empty(page)
                path += " (sent empty)"
            for width, height in VIEWPORTS:
                page.set_viewport_size({"width": width, "height": height})
                where = f"{path} @{width}px"
                if found := axe_violations(page):
                    problems[f"axe {where}"] = found
                if _site_of(path) in CLIENT_SITES and (found := small_targets(page)):
                    problems[f"targets {where}"] = found
            if found := poor_focus_rings(page):
                problems[f"focus {path} @360px"] = found
    finally:
        page.context.close()
    summary = {}
    for key, found in problems.items():
        for item in found:
            rule = item.get("rule") or key.split()[0]
            summary[rule] = summary.get(rule, 0) + item.get("count", 1)
    assert not problems, f"{actor}: {summary}\n" + "\n".join(f"{k}: {v}" for k, v in problems.items())


@pytest.mark.browser
def test_composer_toolbar_needs_javascript(site, browser):
    """Without JavaScript the formatting buttons, which could do nothing, do not show; the labelled plain
    box does. With JavaScript the toolbar and its labelled editor replace it (item 10)."""
    server, ids, _ = site
    path = f"/staff/clients/{ids['client_id']}/messages/new"
    for javascript in (False, True):
        context = browser.new_context(java_script_enabled=javascript)
        try:
            page = context.new_page()
            sign_in(page, f"{server.url}/staff/login", server.people["case_manager"]["email"], server.password)
            page.goto(server.url + path)
            toolbar = page.get_by_role("toolbar", name="Formatting")
            message = page.get_by_role("textbox", name="Message", exact=True)
            expect(message).to_be_visible()
            expect(page.locator("label", has_text="Message")).to_be_visible()
            if javascript:
                expect(toolbar).to_be_visible()
                expect(message).to_have_attribute("contenteditable", "true")
                buttons = toolbar.get_by_role("button")
                expect(buttons).to_have_count(4)  # each name starts with the button's visible text
                for n, name in enumerate(("B Bold", "I Italic", "1. Numbered list", "• Bulleted list")):
                    expect(buttons.nth(n)).to_have_accessible_name(name)
            else:
                expect(toolbar).to_be_hidden()
                expect(message).to_have_js_property("tagName", "TEXTAREA")
        finally:
            context.close()
