"""Release of Information pages: the staff history (audited, bounded queries), revoking on a written request,
Share Client refused without an ROI (offer to send one) and the supervisor's override, the agency setting;
the portal's list in English and Spanish and revoking with a confirm step."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.documents.records import Document
from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.roi.models import RoiStatus
from portal_app.roi.queries import agency_today
from portal_app.sharing.models import ClientShare
from tests import factories as f
from tests.conftest import csrf_token
from tests.roi.helpers import roi_form, signed_roi
from tests.sites.portal.helpers import portal_login, portal_post
from tests.sql import count_statements

MESSAGE = "This agency shares a client only with an organization named in an active Release of Information."


@pytest.fixture
def maria(people, partner_org):
    client = f.client(people["admin"].organization, first_name="Maria", last_name="Lopez")
    f.care_team(client, people["case_manager"])
    f.provider(client, partner_org)
    roi_form(people["admin"])
    return client


def _post(client, url: str, data: dict, token_from: str) -> object:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, token_from)})


def test_history_lists_every_roi_newest_first_and_is_audited(client, auth, people, partner_org, maria):
    today = agency_today()
    signed_roi(people["case_manager"], maria, [], other="Lane County Court", start=today - timedelta(days=400),
               end=today - timedelta(days=35))
    signed_roi(people["case_manager"], maria, [partner_org], end=today + timedelta(days=90))
    auth.login(people["case_manager"])
    html = client.get(f"/staff/clients/{maria.id}/roi").get_data(as_text=True)
    assert html.index(partner_org.name) < html.index("Lane County Court")  # newest first
    assert "Expired" in html and "Active" in html and "Coordinating my care" in html
    assert html.count("<summary>Revoke") == 1  # only the active one
    assert f'href="/staff/clients/{maria.id}/roi"' in client.get(f"/staff/clients/{maria.id}").get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "roi.history_viewed",
                                                         AuditEvent.client_id == maria.id)) is not None


def test_history_page_queries_do_not_grow_with_rois(client, auth, people, partner_org, maria):
    auth.login(people["case_manager"])
    signed_roi(people["case_manager"], maria, [partner_org], other="Recipient A")
    counts = []
    for n in (1, 12):
        while len(maria_rois := db.session.scalars(select(Document.id).where(Document.client_id == maria.id)).all()) < n:
            signed_roi(people["case_manager"], maria, [partner_org], other=f"Recipient {len(maria_rois)}")
        with count_statements() as statements:
            assert client.get(f"/staff/clients/{maria.id}/roi").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(("reason", "message"), [("", "Write the reason given"), ("x" * 1001, "at most 1,000"),
                                                 ("bad\x00", "control characters")])
def test_staff_revoke_refuses_bad_reasons(client, auth, people, partner_org, maria, reason, message):
    roi = signed_roi(people["case_manager"], maria, [partner_org])
    auth.login(people["case_manager"])
    resp = _post(client, f"/staff/roi/{roi.id}/revoke", {"reason": reason}, f"/staff/clients/{maria.id}/roi")
    assert resp.status_code == 422
    assert roi.revoked_at is None
    assert message.lower() in resp.get_data(as_text=True).lower() or "special" in resp.get_data(as_text=True).lower()


def test_staff_revoke_on_written_request(client, auth, people, partner_org, maria):
    roi = signed_roi(people["case_manager"], maria, [partner_org])
    auth.login(people["case_manager"])
    resp = _post(client, f"/staff/roi/{roi.id}/revoke", {"reason": "Letter dated 2 Nov"},
                 f"/staff/clients/{maria.id}/roi")
    assert resp.status_code == 302
    db.session.expire_all()
    assert roi.status(agency_today()) == RoiStatus.REVOKED and roi.revoke_reason == "Letter dated 2 Nov"
    assert "Letter dated 2 Nov" in client.get(f"/staff/clients/{maria.id}/roi").get_data(as_text=True)


def test_share_refused_without_roi_offers_to_send_one_then_supervisor_overrides(client, auth, people, partner_org,
                                                                                maria):
    people["admin"].organization.sharing_requires_roi = True
    f.access(f.account("maria"), maria, "self")
    db.session.flush()
    url = f"/staff/clients/{maria.id}/share"
    auth.login(people["case_manager"])
    resp = _post(client, url, {"organization_id": str(partner_org.id), "note": ""}, url)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409 and MESSAGE in html
    assert f'action="/staff/clients/{maria.id}/roi/send"' in html
    assert "override_reason" not in html  # case managers cannot override
    resp = _post(client, f"/staff/clients/{maria.id}/roi/send", {}, url)
    assert resp.status_code == 302
    sent = db.session.scalar(select(Document).where(Document.client_id == maria.id))
    assert sent.status == "waiting_client" and sent.template_version.template.category == "release"
    auth.logout()
    auth.login(people["supervisor"])
    resp = _post(client, url, {"organization_id": str(partner_org.id), "note": "", "override_reason": "Court order"},
                 url)
    assert resp.status_code == 302
    share = db.session.scalar(select(ClientShare).where(ClientShare.client_id == maria.id))
    assert share.roi_override_reason == "Court order" and share.roi_id is None


def test_admin_switches_the_setting(client, auth, people):
    auth.login(people["admin"])
    agency = people["admin"].organization
    html = client.get("/staff/admin/settings").get_data(as_text=True)
    assert "Sharing requires an active ROI" in html
    resp = _post(client, "/staff/admin/settings", {"version_id": str(agency.version_id), "module_client_portal": "y",
                                                   "sharing_requires_roi": "y"}, "/staff/admin/settings")
    assert resp.status_code == 302
    db.session.expire_all()
    assert agency.sharing_requires_roi
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "admin.sharing_requires_roi"))


@pytest.mark.parametrize(("lang", "words"), [("en", ("Releases of information", "Active", "Coordinating my care")),
                                             ("es", ("Autorizaciones para compartir información", "Activa",
                                                     "Coordinar mi atención"))])
def test_portal_lists_the_clients_rois(client, people, partner_org, maria, lang, words):
    account = f.account("maria", language=lang)
    f.access(account, maria, "self")
    signed_roi(people["case_manager"], maria, [partner_org])
    portal_login(client, "maria")
    html = client.get("/portal/roi").get_data(as_text=True)
    assert all(w in html for w in words), html
    assert "<script" not in html.split("</nav>", 1)[1]  # no JavaScript needed


def test_portal_revoke_confirm_then_revoked_and_staff_told(client, people, partner_org, maria):
    access = f.access(f.account("maria"), maria, "self")
    roi = signed_roi(people["case_manager"], maria, [partner_org], access=access)
    share = f.share(maria, partner_org, people["case_manager"], roi_id=roi.id)
    portal_login(client, "maria")
    page = client.get(f"/portal/roi/{roi.id}/revoke")
    assert page.status_code == 200 and "Yes, revoke it" in page.get_data(as_text=True)
    assert roi.revoked_at is None  # a GET changes nothing
    resp = portal_post(client, f"/portal/roi/{roi.id}/revoke", {"reason": "I moved away"},
                       token_from=f"/portal/roi/{roi.id}/revoke")
    assert resp.status_code == 302
    db.session.expire_all()
    assert roi.revoked_by_account_id == access.account_id and roi.revoke_reason == "I moved away"
    assert not share.active
    assert db.session.scalar(select(OutboxEmail.id).where(OutboxEmail.to_address == people["case_manager"].email,
                                                          OutboxEmail.subject.like("%revoked%")))
    again = portal_post(client, f"/portal/roi/{roi.id}/revoke", {"reason": "x" * 2000}, token_from="/portal/roi")
    assert again.status_code == 302  # no longer active: back to the list, nothing changes


def test_portal_reason_too_long_is_a_field_error(client, people, partner_org, maria):
    f.access(f.account("maria"), maria, "self")
    roi = signed_roi(people["case_manager"], maria, [partner_org])
    portal_login(client, "maria")
    resp = portal_post(client, f"/portal/roi/{roi.id}/revoke", {"reason": "x" * 2000},
                       token_from=f"/portal/roi/{roi.id}/revoke")
    assert resp.status_code == 422 and "at most 1000" in resp.get_data(as_text=True)
    assert roi.revoked_at is None


def test_a_representative_without_signing_right_cannot_revoke(client, people, partner_org, maria):
    f.access(f.account("aunt"), maria, label="aunt", can_sign=False)
    roi = signed_roi(people["case_manager"], maria, [partner_org])
    portal_login(client, "aunt")
    assert ">Revoke" not in client.get("/portal/roi").get_data(as_text=True)
    resp = portal_post(client, f"/portal/roi/{roi.id}/revoke", {}, token_from="/portal/roi")
    assert resp.status_code == 302 and roi.revoked_at is None


@pytest.mark.parametrize("page", ["list", "revoke"])
def test_portal_roi_pages_within_the_phone_budget(client, people, partner_org, maria, page):
    """P1: five ROIs on the list; the revoke page."""
    from tests.sites.page_weight import measure

    f.access(f.account("maria"), maria, "self")
    rois = [signed_roi(people["case_manager"], maria, [partner_org], other=f"Clinic number {n}") for n in range(5)]
    portal_login(client, "maria")
    w = measure(client, "/portal/roi" if page == "list" else f"/portal/roi/{rois[-1].id}/revoke")
    print(f"P1 portal ROI {page}: HTML {w.html} B, CSS {w.css} B, JS {w.own_js + w.vendor_js} B, total {w.total} B, "
          f"{w.requests} requests")
    assert w.html <= 15 * 1024 and w.css <= 10 * 1024 and w.own_js <= 5 * 1024 and w.requests <= 6
    assert w.total <= 40 * 1024, w.total
