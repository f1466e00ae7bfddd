"""Sharing pages on the staff site: client plan, Share Client, Stop sharing, client log, contacts, Needs Review."""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.sharing import policy
from portal_app.sharing import services as sharing
from portal_app.sharing.models import ClientShare, Contact, ServiceProvider
from portal_app.sharing.part2 import PART2_NOTICE
from tests import factories
from tests.conftest import Auth, csrf_token
from tests.sharing import factories as sf

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HTMX = {"HX-Request": "true"}
VERSION_RE = re.compile(r'name="version_id" type="hidden" value="(\d*)"')
OOB_COUNTER_RE = re.compile(r'<span id="needs-review-count" class="badge badge-count" hx-swap-oob="true">'
                            r'(\d+)<span class="vh">[^<]*</span></span>')


def html(resp) -> str:
    return resp.get_data(as_text=True)


def path_of(resp) -> str:
    return urlsplit(resp.headers["Location"]).path


def count(model, *where) -> int:
    return db.session.scalar(select(func.count(model.id)).where(*where))


def audit_rows(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def post(http, url: str, data: dict | None = None, *, page: str = "/staff/", headers: dict | None = None):
    """POST with the CSRF token of a staff page, as the browser would."""
    return http.post(url, data={**(data or {}), "csrf_token": csrf_token(http, page)}, headers=headers)


@pytest.fixture
def record(people, partner_org):
    """A client on the case manager's care team, with the partner on its plan and a third-party contact
    awaiting review (committed)."""
    person = sf.client(people["admin"].organization, first_name="Marisol", last_name="Quintero")
    sf.care_team(person, people["case_manager"])
    provider = sf.provider(person, partner_org, service="Counseling", added_by=people["case_manager"])
    pending = sf.contact(person, people["partner"], notes="Attended group.\nSecond line.")
    db.session.commit()
    return {"client": person, "provider": provider, "contact": pending}


@pytest.fixture
def staff(client, auth, people, record):
    """The test client signed in as the case manager (the record exists first)."""
    assert auth.login(people["case_manager"]).status_code == 302
    return client


def pages(record) -> dict[str, str]:
    c, contact = record["client"].id, record["contact"].id
    return {"plan": f"/staff/clients/{c}/plan", "share": f"/staff/clients/{c}/share", "log": f"/staff/clients/{c}/log",
            "contact": f"/staff/contacts/{contact}", "edit": f"/staff/contacts/{contact}/edit"}


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["plan", "share", "log", "contact", "edit"])
@pytest.mark.parametrize("role", ["admin", "supervisor", "case_manager"])
def test_pages_open_for_staff_of_the_agency_and_are_audited(client, auth, people, record, page, role):
    assert auth.login(people[role]).status_code == 302
    resp = client.get(pages(record)[page])
    assert resp.status_code == 200 and "Marisol Quintero" in html(resp)
    action = "contact.viewed" if page in ("contact", "edit") else "client.viewed"
    [event_] = audit_rows(action)
    assert event_.client_id == record["client"].id and event_.actor_id == people[role].id
    assert json.loads(event_.details)["page"].startswith("staff.")


@pytest.mark.parametrize("page", ["plan", "share", "log", "contact", "edit"])
def test_staff_of_another_agency_get_404(client, auth, record, page):
    stranger = factories.user(factories.agency(), role="admin")
    db.session.commit()
    assert Auth(client).login(stranger).status_code == 302
    assert client.get(pages(record)[page]).status_code == 404


def test_posts_about_another_agencys_client_are_404(client, people, record, partner_org):
    stranger = factories.user(factories.agency(), role="supervisor")
    share = sf.share(record["client"], partner_org, people["admin"])
    db.session.commit()
    Auth(client).login(stranger)
    c, contact = record["client"].id, record["contact"].id
    for url, data in [
        (f"/staff/clients/{c}/providers", {"organization_id": partner_org.id, "service": "x"}),
        (f"/staff/clients/{c}/providers/{record['provider'].id}/remove", {}),
        (f"/staff/clients/{c}/share", {"organization_id": partner_org.id}),
        (f"/staff/clients/{c}/shares/{share.id}/stop", {}),
        (f"/staff/clients/{c}/contacts", {"occurred_at": "2024-01-01T10:00", "method": "phone", "notes": "x"}),
        (f"/staff/contacts/{contact}/edit", {}),
        (f"/staff/contacts/{contact}/review", {}),
    ]:
        assert post(client, url, data).status_code == 404, url
    assert record["contact"].needs_review and share.active and count(ServiceProvider) == 1


@pytest.mark.parametrize("page", ["plan", "share", "log", "contact", "edit"])
def test_partner_users_are_sent_to_the_staff_sign_in(client, auth, people, record, page):
    assert auth.login(people["partner"]).status_code == 302  # signed in on the partner site
    resp = client.get(pages(record)[page])
    assert resp.status_code == 302 and path_of(resp) == "/staff/login"


def test_unknown_ids_are_404(staff, record):
    c = record["client"].id
    for url in ("/staff/clients/999999/plan", "/staff/clients/999999/log", "/staff/contacts/999999"):
        assert staff.get(url).status_code == 404
    assert post(staff, f"/staff/clients/{c}/providers/999999/remove").status_code == 404
    assert post(staff, f"/staff/clients/{c}/shares/999999/stop").status_code == 404


def test_a_provider_of_another_client_is_404(staff, people, record, partner_org):
    other = sf.client(people["admin"].organization)
    theirs = sf.provider(other, partner_org)
    db.session.commit()
    url = f"/staff/clients/{record['client'].id}/providers/{theirs.id}/remove"
    assert post(staff, url).status_code == 404
    assert db.session.get(ServiceProvider, theirs.id) is not None


def test_client_toolbar_and_tabs_lead_to_the_sharing_pages(staff, record):
    page = html(staff.get(f"/staff/clients/{record['client'].id}/log"))
    for href in ("plan", "share", "log"):
        assert f'href="/staff/clients/{record["client"].id}/{href}"' in page
    assert ">Share Client</a>" in page and ">Plan</a>" in page and "aria-current=\"page\">Log</a>" in page


# --- Plan: Service Providers ---------------------------------------------------------------------


def test_plan_lists_providers_and_shares(staff, people, record, partner_org):
    sf.share(record["client"], partner_org, people["supervisor"], note="Tuesdays <b>group</b>")
    db.session.commit()
    page = html(staff.get(pages(record)["plan"]))
    assert partner_org.name in page and "Counseling" in page
    assert f"by {people['case_manager'].display_name}" in page  # added by
    assert "Tuesdays &lt;b&gt;group&lt;/b&gt;" in page and f"by {people['supervisor'].display_name}" in page
    assert "Stop sharing" in page and "Remove" in page


def test_add_service_provider_end_to_end(staff, people, record):
    agency = people["admin"].organization
    rehab = factories.partner_organization("Bright Path Rehab", agency=agency)
    factories.partner_organization("Closed Doors", agency=agency, sharing_enabled=False)
    factories.partner_organization("Other Agency Partner", agency=factories.agency())
    db.session.commit()
    form = html(staff.get(pages(record)["plan"]))
    assert "Bright Path Rehab" in form and "Closed Doors" not in form
    assert "Other Agency Partner" not in form  # S15: another agency's partners are not offered
    resp = post(staff, f"/staff/clients/{record['client'].id}/providers",
                {"organization_id": rehab.id, "service": "Residential treatment"})
    assert resp.status_code == 302 and path_of(resp) == pages(record)["plan"]
    assert "Residential treatment" in html(staff.get(pages(record)["plan"]))
    assert count(ServiceProvider, ServiceProvider.organization_id == rehab.id) == 1
    assert len(audit_rows("sharing.provider_added")) == 1


@pytest.mark.parametrize("data, field, message, status", [
    ({"organization_id": "", "service": "x"}, "organization_id", "Choose an organization.", 422),
    ({"organization_id": "abc", "service": "x"}, "organization_id", "Choose one of the organizations", 422),
    ({"organization_id": "999999", "service": "x"}, "organization_id", "Choose one of the organizations", 422),
    ({"service": ""}, "service", "Enter the service this organization provides.", 422),
    ({"service": "s" * 201}, "service", "Use at most 200 characters.", 422),
    ({}, "organization_id", "already a service provider", 422),
])
def test_add_service_provider_refusals_name_the_field(staff, record, partner_org, data, field, message, status):
    full = {"organization_id": str(partner_org.id), "service": "Housing", **data}
    resp = post(staff, f"/staff/clients/{record['client'].id}/providers", full)
    page = html(resp)
    assert resp.status_code == status
    assert message in page and f'id="{field}-error"' in page
    assert count(ServiceProvider) == 1


def test_remove_service_provider_stops_sharing(staff, people, record, partner_org):
    share = sf.share(record["client"], partner_org, people["admin"])
    db.session.commit()
    resp = post(staff, f"/staff/clients/{record['client'].id}/providers/{record['provider'].id}/remove")
    assert resp.status_code == 302 and path_of(resp) == pages(record)["plan"]
    assert count(ServiceProvider) == 0 and not share.active
    assert "No service providers" in html(staff.get(pages(record)["plan"]))


def test_one_button_posts_need_the_csrf_token(staff, record):
    url = f"/staff/clients/{record['client'].id}/providers/{record['provider'].id}/remove"
    assert staff.post(url).status_code == 400
    assert staff.post(f"/staff/contacts/{record['contact'].id}/review").status_code == 400
    assert count(ServiceProvider) == 1 and record["contact"].needs_review


# --- Share Client / Stop sharing -------------------------------------------------------------------


def test_share_page_offers_only_shareable_providers(staff, record, partner_org):
    off = factories.partner_organization("Sharing Off Org")
    sf.provider(record["client"], off)
    off.sharing_enabled = False
    unrelated = factories.partner_organization("Not On The Plan")
    db.session.commit()
    page = html(staff.get(pages(record)["share"]))
    assert f'<option value="{partner_org.id}">{partner_org.name}</option>' in page
    assert "Sharing Off Org" not in page and unrelated.name not in page
    assert "Share note" in page and ">Share Client</button>" in page


def test_share_page_without_providers_points_to_the_plan(staff, record):
    db.session.delete(record["provider"])
    db.session.commit()
    page = html(staff.get(pages(record)["share"]))
    assert "no service provider with sharing enabled" in page and "<select" not in page
    assert f'href="{pages(record)["plan"]}#add-provider"' in page


@pytest.mark.parametrize("part2", [False, True])
def test_share_client_end_to_end_with_the_email(staff, people, record, partner_org, part2):
    person = record["client"]
    person.part2_protected = part2
    db.session.commit()
    resp = post(staff, pages(record)["share"], {"organization_id": partner_org.id, "note": "Weekly group.\nBring ID."},
                page=pages(record)["share"])
    assert resp.status_code == 302 and path_of(resp) == pages(record)["plan"]
    share = db.session.scalars(select(ClientShare)).one()
    assert share.active and share.note == "Weekly group.\nBring ID." and share.shared_by_id == people["case_manager"].id
    [email] = db.session.scalars(select(OutboxEmail)).all()
    assert email.to_address == partner_org.contact_email and email.status == "pending"
    assert "http://localhost/partner/" in email.body_text
    text = email.subject + email.body_text + (email.body_html or "")
    for secret in ("Marisol", "Quintero", "1990", "04-17", person.phone, "Weekly group"):  # S14
        assert secret not in text
    assert (PART2_NOTICE in email.body_text) is part2
    plan = html(staff.get(pages(record)["plan"]))
    assert "The client was shared with" in plan and "Weekly group.\nBring ID." in plan
    assert policy.active_share(people["partner"], person.id) == share


def test_share_twice_is_409_beside_the_field(staff, people, record, partner_org):
    sf.share(record["client"], partner_org, people["admin"])
    db.session.commit()
    resp = post(staff, pages(record)["share"], {"organization_id": partner_org.id, "note": "again"},
                page=pages(record)["share"])
    page = html(resp)
    assert resp.status_code == 409
    assert "already shared with that organization" in page and 'id="organization_id-error"' in page
    assert "again</textarea>" in page  # the typing is kept
    assert count(ClientShare) == 1 and count(OutboxEmail) == 0


@pytest.mark.parametrize("data, field, message", [
    ({"organization_id": ""}, "organization_id", "Choose an organization."),
    ({"organization_id": "999999"}, "organization_id", "Choose one of the organizations in the list."),
    ({"note": "n" * 2001}, "note", "Use at most 2,000 characters."),
    ({"note": "bad\x00byte"}, "note", "invisible control characters"),
])
def test_share_form_errors_name_the_field(staff, record, partner_org, data, field, message):
    resp = post(staff, pages(record)["share"], {"organization_id": partner_org.id, **data}, page=pages(record)["share"])
    page = html(resp)
    assert resp.status_code == 422 and message in page and f'id="{field}-error"' in page
    assert count(ClientShare) == 0


def test_stop_sharing_is_immediate_and_idempotent(staff, people, record, partner_org):
    share = sf.share(record["client"], partner_org, people["admin"])
    db.session.commit()
    url = f"/staff/clients/{record['client'].id}/shares/{share.id}/stop"
    resp = post(staff, url)
    assert resp.status_code == 302 and path_of(resp) == pages(record)["plan"]
    assert not share.active and share.revoked_by_id == people["case_manager"].id
    assert policy.active_share(people["partner"], record["client"].id) is None  # checked on every partner request
    assert post(staff, url).status_code == 302
    assert len(audit_rows("sharing.share_revoked")) == 1
    plan = html(staff.get(pages(record)["plan"]))
    assert "not shared with any partner organization" in plan


# --- client log and contacts ---------------------------------------------------------------------


def test_log_shows_needs_review_and_contacts_newest_first(staff, people, record):
    older = sf.contact(record["client"], people["case_manager"], occurred_at=datetime(2026, 1, 5, 17, 0, tzinfo=UTC),
                       notes="<script>alert(1)</script>\nline two", location="Office")
    db.session.commit()
    page = html(staff.get(pages(record)["log"]))
    needs, contacts = page.split('id="contacts-heading"')
    assert f'id="review-{record["contact"].id}"' in needs and f'id="review-{older.id}"' not in needs
    assert 'id="needs-review-count" class="badge badge-count">1<' in needs
    assert contacts.index(f'id="contact-{record["contact"].id}"') < contacts.index(f'id="contact-{older.id}"')
    assert "<script>alert(1)</script>" not in page
    assert '<p class="notes">&lt;script&gt;alert(1)&lt;/script&gt;\nline two</p>' in page
    assert "Jan 5, 2026, 9:00 AM" in page  # 17:00 UTC is 9:00 in Los Angeles (PST)
    assert "Needs Review</span>" in contacts and ">Actual</span>" in contacts and "Office" in contacts
    assert f"{people['partner'].display_name}, {people['partner'].organization.name}" in contacts


def test_record_contact_converts_local_time_to_utc(staff, people, record, frozen_clock):
    resp = post(staff, f"/staff/clients/{record['client'].id}/contacts",
                {"occurred_at": "2026-07-01T09:30", "method": "home_visit", "location": "Home",
                 "notes": "Visited.\nAll well."}, page=pages(record)["log"])
    assert resp.status_code == 302 and path_of(resp) == pages(record)["log"]
    contact = db.session.scalars(select(Contact).where(Contact.author_id == people["case_manager"].id)).one()
    assert contact.occurred_at == datetime(2026, 7, 1, 16, 30, tzinfo=UTC)  # PDT is UTC-7
    assert contact.source == "staff" and contact.notes == "Visited.\nAll well."
    page = html(staff.get(pages(record)["log"]))
    assert "Jul 1, 2026, 9:30 AM" in page and "Home visit" in page


@pytest.mark.parametrize("data, field, message", [
    ({"occurred_at": ""}, "occurred_at", "Enter the date and time of the contact"),
    ({"occurred_at": "yesterday"}, "occurred_at", "Enter the date and time of the contact"),
    ({"occurred_at": "0001-01-01T00:00"}, "occurred_at", "Enter the date and time of the contact"),
    ({"occurred_at": "9999-12-31T23:59"}, "occurred_at", "Enter the date and time of the contact"),
    ({"occurred_at": "2026-12-01T10:00"}, "occurred_at", "The contact cannot be in the future."),
    ({"occurred_at": "1999-06-01T10:00"}, "occurred_at", "Enter a date after 1 January 2000."),
    ({"method": ""}, "method", "Choose how the contact happened."),
    ({"method": "telepathy"}, "method", "Choose how the contact happened."),
    ({"notes": ""}, "notes", "Enter notes about the contact."),
    ({"notes": "   "}, "notes", "Enter notes about the contact."),
    ({"notes": "a\x00b"}, "notes", "invisible control characters"),
    ({"location": "l" * 201}, "location", "Use at most 200 characters."),
])
def test_bad_contact_input_is_422_naming_the_field(staff, record, frozen_clock, data, field, message):
    full = {"occurred_at": "2026-11-20T10:00", "method": "phone", "location": "", "notes": "Talked.", **data}
    resp = post(staff, f"/staff/clients/{record['client'].id}/contacts", full, page=pages(record)["log"])
    page = html(resp)
    assert resp.status_code == 422
    assert message in page and f'id="{field}-error"' in page
    assert count(Contact) == 1


def test_contact_detail_shows_the_contact(staff, people, record):
    page = html(staff.get(pages(record)["contact"]))
    assert "Attended group.\nSecond line." in page and 'class="notes"' in page
    assert "Needs Review" in page and ">Mark as Reviewed</button>" in page
    assert f'href="{pages(record)["edit"]}"' in page


def test_edit_with_mark_as_reviewed(staff, people, record):
    contact = record["contact"]
    page = html(staff.get(pages(record)["edit"]))
    assert "Mark as Reviewed?" in page and page.index("Mark as Reviewed?") > page.index('name="notes"')
    version = VERSION_RE.search(page).group(1)
    resp = post(staff, pages(record)["edit"], {
        "version_id": version, "occurred_at": re.search(r'name="occurred_at"[^>]*value="([^"]+)"', page).group(1),
        "method": "video", "location": "", "notes": "Attended group.\nSecond line.", "mark_reviewed": "y",
    }, page=pages(record)["edit"])
    assert resp.status_code == 302 and path_of(resp) == pages(record)["contact"]
    assert contact.method == "video" and contact.reviewed_by_id == people["case_manager"].id
    log = html(staff.get(pages(record)["log"]))
    entry = log[log.index(f'id="contact-{contact.id}"'):]
    assert ">Actual</span>" in entry and ">Third-Party</span>" in entry and ">Reviewed</span>" in entry
    assert f"Reviewed by {people['case_manager'].display_name} on" in entry
    assert "No contacts from partner organizations need review." in log
    assert "Mark as Reviewed?" not in html(staff.get(pages(record)["edit"]))


def test_staff_contacts_have_no_review_box(staff, people, record):
    own = sf.contact(record["client"], people["case_manager"])
    db.session.commit()
    page = html(staff.get(f"/staff/contacts/{own.id}/edit"))
    assert "Mark as Reviewed?" not in page
    assert ">Mark as Reviewed</button>" not in html(staff.get(f"/staff/contacts/{own.id}"))


def test_stale_edit_is_409_and_keeps_the_typing(staff, people, record):
    contact = record["contact"]
    page = html(staff.get(pages(record)["edit"]))
    loaded = VERSION_RE.search(page).group(1)
    sharing.update_contact(people["partner"], contact, contact.version_id, occurred_at=contact.occurred_at,
                           method="phone", notes="Saved by the partner meanwhile")
    db.session.commit()
    resp = post(staff, pages(record)["edit"], {"version_id": loaded, "occurred_at": "2026-01-05T09:00",
                                                "method": "phone", "notes": "My typing", "mark_reviewed": "y"},
                page=pages(record)["edit"])
    page = html(resp)
    assert resp.status_code == 409
    assert "Someone else changed this contact" in page and "My typing</textarea>" in page
    assert 'value="2026-01-05T09:00"' in page and "Saved by the partner meanwhile" in page
    assert VERSION_RE.search(page).group(1) == str(contact.version_id)
    assert contact.notes == "Saved by the partner meanwhile" and contact.needs_review


def test_bad_edit_input_is_422(staff, record):
    page = html(staff.get(pages(record)["edit"]))
    resp = post(staff, pages(record)["edit"], {"version_id": VERSION_RE.search(page).group(1),
                                                "occurred_at": "2026-01-05T09:00", "method": "fax", "notes": ""},
                page=pages(record)["edit"])
    page = html(resp)
    assert resp.status_code == 422 and 'id="method-error"' in page and 'id="notes-error"' in page


# --- Needs Review --------------------------------------------------------------------------------


def review_url(contact: Contact) -> str:
    return f"/staff/contacts/{contact.id}/review"


def test_home_lists_needs_review_with_a_counter(staff, record):
    page = html(staff.get("/staff/"))
    row = page[page.index(f'id="review-{record["contact"].id}"'):]
    assert 'id="needs-review-count" class="badge badge-count">1<' in page
    assert f'href="{pages(record)["log"]}">Marisol Quintero</a>' in row
    assert f'href="{pages(record)["contact"]}"' in row and "Attended group." in row and "Second line." not in row
    assert f'hx-post="{review_url(record["contact"])}"' in row and 'hx-target="closest li"' in row
    assert f'action="{review_url(record["contact"])}"' in row and 'name="next" value="/staff/"' in row


def test_htmx_review_answers_an_empty_row_and_the_counter_out_of_band(staff, people, record):
    other = sf.contact(record["client"], people["partner"])
    db.session.commit()
    resp = post(staff, review_url(record["contact"]), {"next": "/staff/", "counter": "home"}, headers=HTMX)
    body = html(resp)
    assert resp.status_code == 200 and "HX-Request" in resp.headers["Vary"]
    assert OOB_COUNTER_RE.search(body).group(1) == "1"
    assert "1 more needs review." in body  # the status line says what happened (tests/sites/staff/test_home_panels.py)
    rest = re.sub(r'<(p|div) [^>]*hx-swap-oob="true">.*?</\1>', "", OOB_COUNTER_RE.sub("", body), flags=re.S)
    assert rest.strip() == ""  # nothing else but out-of-band parts: the row goes
    assert record["contact"].reviewed_by_id == people["case_manager"].id
    assert other.needs_review
    # Pressed again (a double click): still fine, nothing recorded twice.
    again = post(staff, review_url(record["contact"]), {"next": "/staff/", "counter": "home"}, headers=HTMX)
    assert again.status_code == 200 and OOB_COUNTER_RE.search(html(again)).group(1) == "1"
    assert len(audit_rows("contact.reviewed")) == 1
    log = html(staff.get(pages(record)["log"]))
    entry = log[log.index(f'id="contact-{record["contact"].id}"'):]
    tags = entry[:entry.index("</p>")]
    assert re.findall(r'<span class="tag [^"]+">([^<]+)</span>', tags) == ["Actual", "Third-Party", "Reviewed"]
    assert f"Reviewed by {people['case_manager'].display_name} on" in entry


def test_htmx_review_on_the_client_log_updates_the_entry_too(staff, record):
    resp = post(staff, review_url(record["contact"]), {"next": pages(record)["log"], "counter": "client"},
                headers=HTMX)
    body = html(resp)
    assert resp.status_code == 200 and OOB_COUNTER_RE.search(body).group(1) == "0"
    assert f'<li class="contact-entry" id="contact-{record["contact"].id}" hx-swap-oob="true">' in body
    assert ">Reviewed</span>" in body


def test_review_without_javascript_redirects_back(staff, people, record):
    resp = post(staff, review_url(record["contact"]), {"next": "/staff/", "counter": "home"})
    assert resp.status_code == 302 and path_of(resp) == "/staff/"
    assert not record["contact"].needs_review
    home = html(staff.get("/staff/"))
    assert "The contact was marked as reviewed." in home and f'id="review-{record["contact"].id}"' not in home
    assert 'id="needs-review-count" class="badge badge-count">0<' in home
    again = post(staff, review_url(record["contact"]), {"next": pages(record)["log"]})
    assert again.status_code == 302 and path_of(again) == pages(record)["log"]
    assert len(audit_rows("contact.reviewed")) == 1


@pytest.mark.parametrize("bad_next", ["https://evil.example/staff/", "//evil.example/", "/partner/", ""])
def test_review_next_must_stay_on_the_staff_site(staff, record, bad_next):
    resp = post(staff, review_url(record["contact"]), {"next": bad_next})
    assert resp.status_code == 302 and resp.headers["Location"] == pages(record)["log"]


def test_reviewing_a_staff_contact_is_refused(staff, people, record):
    own = sf.contact(record["client"], people["case_manager"])
    db.session.commit()
    resp = post(staff, review_url(own), {"next": "/staff/"})
    assert resp.status_code == 422 and "Only contacts recorded by a partner organization" in html(resp)
    assert own.reviewed_at is None


def test_needs_review_scope_on_home(client, auth, people, record):
    """A case manager sees the contacts of their care team's clients; a supervisor the whole agency."""
    not_mine = sf.contact(sf.client(people["admin"].organization, first_name="Colleagues"), people["partner"])
    foreign = sf.contact(sf.client(factories.agency(), first_name="Foreign"), people["partner"])
    db.session.commit()
    on_caseload = record["contact"]
    auth.login(people["case_manager"])
    page = html(client.get("/staff/"))
    assert f'id="review-{on_caseload.id}"' in page and f'id="review-{not_mine.id}"' not in page
    assert f'id="review-{foreign.id}"' not in page and "Foreign" not in page and "Colleagues" not in page
    assert 'id="needs-review-count" class="badge badge-count">1<' in page
    auth.logout()
    auth.login(people["supervisor"])
    page = html(client.get("/staff/"))
    assert f'id="review-{on_caseload.id}"' in page and f'id="review-{not_mine.id}"' in page
    assert f'id="review-{foreign.id}"' not in page
    assert 'id="needs-review-count" class="badge badge-count">2<' in page


# --- robustness (R4) and query counts (P3) -------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


@FUZZ
@given(occurred_at=st.one_of(TEXT, st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M"))),
       method=st.one_of(st.sampled_from(["phone", "video", "in_person"]), TEXT),
       location=TEXT, notes=TEXT, version=st.one_of(st.just("1"), TEXT), mark=st.sampled_from(["y", "", "maybe"]))
def test_contact_forms_never_fail_with_5xx(staff, record, occurred_at, method, location, notes, version, mark):
    data = {"occurred_at": occurred_at, "method": method, "location": location, "notes": notes}
    token = csrf_token(staff, pages(record)["log"])
    resp = staff.post(f"/staff/clients/{record['client'].id}/contacts", data={**data, "csrf_token": token})
    assert resp.status_code in (302, 422), resp.status_code
    resp = staff.post(pages(record)["edit"], data={**data, "version_id": version, "mark_reviewed": mark,
                                                    "csrf_token": token})
    assert resp.status_code in (302, 409, 422), resp.status_code


@pytest.fixture
def statements():
    """Count the SQL statements sent on the test's connection while `counting` is on."""
    seen: list[str] = []
    connection = db.session.get_bind()

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(connection, "before_cursor_execute", listener)
    yield seen
    event.remove(connection, "before_cursor_execute", listener)


def _queries_for(http, url: str, seen: list[str]) -> int:
    http.get(url)  # warm up: the first request of a session may load more (flash, language)
    seen.clear()
    assert http.get(url).status_code == 200
    return len(seen)


@pytest.mark.parametrize("url", ["/staff/", "log"])
def test_pages_need_the_same_queries_for_10_and_500_contacts(staff, people, record, statements, url):
    url = pages(record).get(url, url)
    counts = {}
    total = 1
    for target in (10, 500):
        sf.pending_contacts(record["client"], people["partner"], target - total)
        sf.contact(record["client"], people["case_manager"])  # staff contacts on the log as well
        db.session.commit()
        total = target
        counts[target] = _queries_for(staff, url, statements)
    print(f"P3 {url}: {counts}")
    assert counts[10] == counts[500], counts
