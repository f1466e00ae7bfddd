"""Deny by default (S6): every endpoint declares a permission, and a route x role matrix proves it.

What "allowed" and "disallowed" mean here, per request:

* allowed (the actor's role is in EXPECTED, or the endpoint is public): any answer below 400
  that is not a redirect to a sign-in page; 404 counts as "allowed but not found" only for
  admin-only endpoints whose URL needs an object id we did not create (see URL_BUILDERS).
* disallowed, and the actor has no session on that site (anonymous, or a person of another
  site: their cookie is named and pathed for their own site, so it never reaches this one):
  302 to that site's sign-in page. Sites without a sign-in (/links, the public pages) answer 403.
* disallowed, and the actor is signed in on that very site but lacks the permission: 403.

POSTs: from an anonymous visitor, 400 without a CSRF token and a sign-in redirect with one; never
2xx. A signed-in person without the permission gets 403 even with a valid token. Allowed POSTs
change state, so their own feature tests cover them.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from portal_app import create_app
from portal_app.authz import PUBLIC, ROLE_GRANTS, declared_permission
from portal_app.extensions import db
from portal_app.sites import site_for_path
from tests import factories
from tests.authz_matrix_domains import DOMAIN_EXPECTED
from tests.authz_objects import HANDOFF_PAGES, PORTAL_ACTORS, URL_BUILDERS, sign_in
from tests.conftest import csrf_token

# endpoint -> the roles that may open it; "anonymous" marks a public endpoint (open to all).
EXPECTED: dict[str, set[str]] = {
    "public.landing": {"anonymous"},
    "public.healthz": {"anonymous"},
    "public.readyz": {"anonymous"},
    "links.index": {"anonymous"},
    "links.verify": {"anonymous"},
    "links.verify_code": {"anonymous"},
    "links.language": {"anonymous"},
    "staff.login": {"anonymous"},
    "staff.logout": {"admin", "supervisor", "case_manager", "operator"},
    "staff.home": {"admin", "supervisor", "case_manager", "operator"},
    "staff.account": {"admin", "supervisor", "case_manager", "operator"},
    "staff.account_password": {"admin", "supervisor", "case_manager", "operator"},
    "staff.admin_organizations": {"admin"},
    "staff.admin_organization_new": {"admin"},
    "staff.admin_organization_edit": {"admin"},
    "staff.admin_users": {"admin"},
    "staff.admin_user_new": {"admin"},
    "staff.admin_user_edit": {"admin"},
    "staff.admin_user_toggle": {"admin"},
    "staff.admin_settings": {"admin"},
    "staff.clients": {"admin", "supervisor", "case_manager"},
    "staff.client_new": {"admin", "supervisor", "case_manager"},
    "staff.client_profile": {"admin", "supervisor", "case_manager"},
    "staff.client_edit": {"admin", "supervisor", "case_manager"},
    "staff.client_photo": {"admin", "supervisor", "case_manager"},
    "staff.client_photo_file": {"admin", "supervisor", "case_manager"},
    "staff.client_plan": {"admin", "supervisor", "case_manager"},
    "staff.client_provider_add": {"admin", "supervisor", "case_manager"},
    "staff.client_provider_remove": {"admin", "supervisor", "case_manager"},
    "staff.client_share": {"admin", "supervisor", "case_manager"},
    "staff.client_share_revoke": {"admin", "supervisor", "case_manager"},
    "staff.client_log": {"admin", "supervisor", "case_manager"},
    "staff.needs_review": {"admin", "supervisor", "case_manager"},
    "staff.contact_record": {"admin", "supervisor", "case_manager"},
    "staff.contact_detail": {"admin", "supervisor", "case_manager"},
    "staff.contact_edit": {"admin", "supervisor", "case_manager"},
    "staff.contact_review": {"admin", "supervisor", "case_manager"},
    "partner.login": {"anonymous"},
    "partner.logout": {"partner"},
    "partner.home": {"partner"},
    "partner.account_password": {"partner"},
    "partner.clients_detail": {"partner"},
    "partner.clients_photo": {"partner"},
    "partner.contacts_new": {"partner"},
    "partner.contacts_edit": {"partner"},
    "portal.login": {"anonymous"},
    "portal.language": {"anonymous"},
    "portal.home": {"portal"},
    "portal.logout": {"portal"},
    "portal.switch": {"portal"},
    "portal.acting_for": {"portal"},
    "portal.account": {"portal"},
    "portal.account_password": {"portal"},
    "portal.password_forgot": {"anonymous"},
    "portal.password_reset": {"anonymous"},
    "links.reset": {"anonymous"},
    "portal.register": {"anonymous"},
    "portal.register_existing": {"anonymous"},
    "links.invitation": {"anonymous"},
    "staff.portal_manager": {"admin", "supervisor", "case_manager"},
    "staff.portal_invite_client": {"admin", "supervisor", "case_manager"},
    "staff.portal_invite_representative": {"admin", "supervisor", "case_manager"},
    "staff.portal_invitation_resend": {"admin", "supervisor", "case_manager"},
    "staff.portal_invitation_cancel": {"admin", "supervisor", "case_manager"},
    "staff.portal_access_revoke": {"admin", "supervisor", "case_manager"},
    "staff.portal_item_hide": {"admin", "supervisor", "case_manager"},
    "staff.portal_item_show": {"admin", "supervisor", "case_manager"},
    "kiosk.login": {"anonymous"},
    "kiosk.language": {"anonymous"},
    "kiosk.home": {"kiosk"},
    "kiosk.pair": {"anonymous"},
    "kiosk.pair_status": {"anonymous"},
    "kiosk.poll": {"kiosk"},
    "kiosk.verify": {"kiosk"},
    "kiosk.answers": {"kiosk"},
    "kiosk.sign": {"kiosk"},
    "kiosk.activity": {"kiosk"},
    "kiosk.wipe": {"kiosk"},
    "kiosk.staff_end": {"kiosk"},
    "staff.client_kiosk": {"admin", "supervisor", "case_manager"},
    "staff.document_kiosk": {"admin", "supervisor", "case_manager"},
    "staff.kiosk_handoff_cancel": {"admin", "supervisor", "case_manager"},
    "staff.kiosk_handoff_resend": {"admin", "supervisor", "case_manager"},
    "staff.admin_locations": {"admin"},
    "staff.admin_location_new": {"admin"},
    "staff.admin_location_edit": {"admin"},
    "staff.admin_kiosks": {"admin"},
    "staff.admin_kiosk_new": {"admin"},
    "staff.admin_kiosk_detail": {"admin"},
    "staff.admin_kiosk_revoke": {"admin"},
    "staff.message_new": {"admin", "supervisor", "case_manager"},
    "staff.messages": {"admin", "supervisor", "case_manager"},
    "staff.message_detail": {"admin", "supervisor", "case_manager"},
    "staff.message_reply": {"admin", "supervisor", "case_manager"},
    "staff.mass_send_new": {"admin", "supervisor", "case_manager"},
    "staff.mass_send_detail": {"admin", "supervisor", "case_manager"},
    "staff.account_client_contact": {"admin", "supervisor", "case_manager", "operator"},
    "portal.messages": {"portal"},
    "portal.messages_conversation": {"portal"},
    "portal.messages_new": {"portal"},
    "portal.documents": {"portal"},
    "portal.document_fill": {"portal"},
    "portal.document_sign": {"portal"},
    "portal.document_pdf": {"portal"},
    "portal.esign_withdraw": {"portal"},
    "portal.rois": {"portal"},
    "portal.roi_revoke": {"portal"},
    "staff.client_roi_history": {"admin", "supervisor", "case_manager"},
    "staff.client_roi_send": {"admin", "supervisor", "case_manager"},
    "staff.roi_revoke": {"admin", "supervisor", "case_manager"},
    "portal.esign_give": {"portal"},
    "staff.operator_agencies": {"operator"},
    "staff.operator_agency_new": {"operator"},
    "staff.operator_agency_seats": {"operator"},
    "staff.admin_forms": {"admin"},
    "staff.admin_form_new": {"admin"},
    "staff.admin_form_edit": {"admin"},
    "staff.admin_form_archive": {"admin"},
    "staff.admin_form_versions": {"admin"},
    "staff.admin_form_preview": {"admin"},
    "staff.admin_form_draft": {"admin"},
    "staff.admin_form_settings": {"admin"},
    "staff.admin_form_field_new": {"admin"},
    "staff.admin_form_field_edit": {"admin"},
    "staff.admin_form_field_move": {"admin"},
    "staff.admin_form_field_remove": {"admin"},
    "staff.admin_form_publish": {"admin"},
    "staff.operator_agency_rename": {"operator"},
    "staff.operator_agency_access": {"operator"},
    "staff.client_documents": {"admin", "supervisor", "case_manager"},
    "staff.document_start": {"admin", "supervisor", "case_manager"},
    "staff.document_detail": {"admin", "supervisor", "case_manager"},
    "staff.document_fill": {"admin", "supervisor", "case_manager"},
    "staff.document_pdf_status": {"admin", "supervisor", "case_manager"},
    "staff.document_send": {"admin", "supervisor", "case_manager"},
    "staff.document_email": {"admin", "supervisor", "case_manager"},
    "staff.document_sign_in_person": {"admin", "supervisor", "case_manager"},
    "portal.document_from_link": {"portal"},
    "links.document_link": {"anonymous"},
    "staff.document_countersign": {"admin", "supervisor", "case_manager"},
    "staff.document_void": {"admin", "supervisor", "case_manager"},
    "staff.document_paper": {"admin", "supervisor", "case_manager"},
    "staff.document_pdf": {"admin", "supervisor", "case_manager"},
}
EXPECTED.update(DOMAIN_EXPECTED)  # requests, programs, referrals, appointments, goals: tests/authz_matrix_domains.py

EXEMPT = {"static"}  # Flask's own static route: no session, public by pipeline.PUBLIC_ENDPOINTS
KNOWN_ROLES = {"anonymous", "admin", "supervisor", "case_manager", "partner", "portal", "kiosk", "operator"}
ACTORS = ("anonymous", "admin", "supervisor", "case_manager", "partner", "portal",
          "portal_guardian", "portal_hidden_rep", "operator", "kiosk")


def role_of(actor: str) -> str:
    return "portal" if actor in PORTAL_ACTORS else actor


SIGN_IN_SITES = ("staff", "partner", "portal", "kiosk")


@pytest.fixture
def people(people):
    """conftest's people plus "portal": an account acting for a client of the people's agency."""
    from portal_app.portal_access.models import HiddenItem

    agency = people["admin"].organization
    account = factories.account("matrix.portal")
    factories.access(account, factories.client(agency), "self")
    guardian = factories.account("matrix.guardian")
    first_child, second_child = factories.client(agency), factories.client(agency)
    guardian_access = factories.access(guardian, first_child, label="mother")
    factories.access(guardian, second_child, label="mother")
    hidden_rep = factories.account("matrix.father")
    rep_access = factories.access(hidden_rep, first_child, label="father")
    db.session.add(HiddenItem(access=rep_access, item_type="client_access", item_id=guardian_access.id,
                              hidden_by_id=people["case_manager"].id))
    db.session.flush()
    operator = factories.user(factories.operators(), role="operator", email="operator@deployment.test")
    return {**people, "portal": account, "portal_guardian": guardian, "portal_hidden_rep": hidden_rep,
            "operator": operator}


DUMMY_ARGS = {"IntegerConverter": 999999, "BoundedIntConverter": 999999, "UnicodeConverter": "missing", "PathConverter": "missing",
              "FloatConverter": 1.5, "UUIDConverter": "00000000-0000-0000-0000-000000000000"}

# An app built at collection time, only to read the URL map for parametrization.
_ROUTES = sorted(create_app("test", {"SQLALCHEMY_DATABASE_URI": "sqlite://"}).url_map.iter_rules(),
                 key=lambda r: r.endpoint)
GET_ENDPOINTS = sorted({r.endpoint for r in _ROUTES if "GET" in r.methods and r.endpoint not in EXEMPT})
POST_ENDPOINTS = sorted({r.endpoint for r in _ROUTES if "POST" in r.methods and r.endpoint not in EXEMPT})
_SITE_OF = {r.endpoint: site_for_path(r.rule) for r in _ROUTES}


def actor_site(actor: str) -> str | None:
    return {"anonymous": None, "partner": "partner", "portal": "portal", "kiosk": "kiosk"}.get(role_of(actor), "staff")


# Signed-in people refused a POST on their own site (the only case where a POST reaches authorization).
POST_DENIALS = [
    (endpoint, actor)
    for endpoint in POST_ENDPOINTS
    for actor in ACTORS[1:]
    if "anonymous" not in EXPECTED.get(endpoint, {"anonymous"})
    and role_of(actor) not in EXPECTED[endpoint]
    and actor_site(actor) == _SITE_OF[endpoint]
]


def _rule(app, endpoint: str):
    return next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)


def build(app, endpoint: str, **values) -> str:
    return app.url_map.bind("localhost").build(endpoint, values)


def dummy_url(app, endpoint: str) -> str:
    """The endpoint's URL with a made-up value for each converter (no object behind it)."""
    rule = _rule(app, endpoint)
    return build(app, endpoint, **{name: DUMMY_ARGS[type(conv).__name__] for name, conv in rule._converters.items()})


def build_url(app, endpoint: str, people: dict) -> tuple[str, bool]:
    """The URL to request, and whether its object ids are dummies (404 accepted for admins)."""
    if endpoint in URL_BUILDERS:
        return build(app, endpoint, **URL_BUILDERS[endpoint](people)), False
    if not _rule(app, endpoint).arguments:
        return build(app, endpoint), False
    assert EXPECTED[endpoint] <= {"admin"}, (
        f"{endpoint} needs object ids and is open to non-admins: add a builder to URL_BUILDERS"
    )
    return dummy_url(app, endpoint), True


def test_every_endpoint_declares_a_permission(app):
    """Deny by default: an endpoint without @requires or @public is a bug."""
    missing = sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in EXEMPT and declared_permission(app.view_functions[rule.endpoint]) is None
    )
    assert not missing, f"endpoints that declare no permission: {missing}"


def test_expected_table_covers_exactly_the_url_map(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - EXEMPT
    unlisted = sorted(endpoints - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - endpoints)
    assert not unlisted, f"endpoints missing from the matrix, add them to EXPECTED: {unlisted}"
    assert not stale, f"EXPECTED lists endpoints that no longer exist, remove them: {stale}"
    unknown = {role for roles in EXPECTED.values() for role in roles} - KNOWN_ROLES
    assert not unknown, f"unknown role names in EXPECTED: {unknown}"


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_expected_table_agrees_with_declarations(app, endpoint):
    """Public endpoints are exactly the "anonymous" ones; nobody is expected beyond the role grants."""
    permission = declared_permission(app.view_functions[endpoint])
    if permission == PUBLIC:
        assert EXPECTED[endpoint] == {"anonymous"}
    else:
        assert "anonymous" not in EXPECTED[endpoint]
        assert EXPECTED[endpoint] <= ROLE_GRANTS[permission], f"{endpoint} declares {permission}"


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", GET_ENDPOINTS)
def test_get_matrix(app, client, auth, people, endpoint, actor):
    """Each GET-able endpoint answers each actor as EXPECTED says."""
    if actor != "anonymous":
        assert sign_in(auth, people, actor).status_code == 302
    url, dummy_ids = build_url(app, endpoint, {**people, "actor": actor})
    resp = client.get(url)
    site = site_for_path(urlsplit(url).path)
    location = urlsplit(resp.headers.get("Location", "")).path
    allowed = EXPECTED[endpoint] & {"anonymous", role_of(actor)}
    if allowed:
        assert (resp.status_code < 400 or (dummy_ids and resp.status_code == 404)
                or resp.status_code == HANDOFF_PAGES.get(endpoint)), (url, resp.status_code)
        assert not location.endswith("/login"), f"{actor} sent to sign-in from {url}"
    elif actor_site(actor) != site and site in SIGN_IN_SITES:
        assert resp.status_code == 302, (url, resp.status_code)
        assert location == f"/{site}/login"
    else:
        assert resp.status_code == 403, (url, resp.status_code)


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_anonymous_post_never_succeeds(app, client, endpoint):
    """A POST from nobody: 400 without a CSRF token; with one, a sign-in redirect (protected endpoints)."""
    url = dummy_url(app, endpoint)
    site = _SITE_OF[endpoint]
    assert client.post(url).status_code == 400  # no CSRF token
    if site not in SIGN_IN_SITES or "anonymous" in EXPECTED[endpoint]:
        return  # public POSTs (sign-in, language) are exercised by their own tests
    resp = client.post(url, data={"csrf_token": csrf_token(client, f"/{site}/login")})
    assert resp.status_code == 302
    assert urlsplit(resp.headers["Location"]).path == f"/{site}/login"


@pytest.mark.parametrize(("endpoint", "actor"), POST_DENIALS)
def test_post_refused_to_signed_in_people_without_the_permission(app, client, auth, people, endpoint, actor):
    """A valid token does not help: the permission is checked before the view runs (403)."""
    assert sign_in(auth, people, actor).status_code == 302
    site = _SITE_OF[endpoint]
    page = "/staff/account/password" if site == "staff" else f"/{site}/"  # the operator's /staff/ redirects
    resp = client.post(dummy_url(app, endpoint), data={"csrf_token": csrf_token(client, page)})
    assert resp.status_code == 403
