"""Partner site: the shared-clients list, the limited client profile (S7), the photo and the audit of views."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import event, select

from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.files import read_bytes
from portal_app.sharing.part2 import PART2_NOTICE
from tests import factories
from tests import factories as pf
from tests.sites.partner.conftest import SHARE_NOTE

HOME = "/partner/"
NOTICE_PHRASE = "prohibit you from making any further disclosure"
DOB = date(1979, 3, 14)
DOB_FORMATS = ["1979-03-14", "03/14/1979", "3/14/1979", "14/03/1979", "14.03.1979", "March 14, 1979",
               "Mar 14, 1979", "14 March 1979", "14 Mar 1979", "Mar. 14, 1979", "19790314", "1979"]


def profile_url(client_id: int) -> str:
    return f"/partner/clients/{client_id}"


def html(resp) -> str:
    return resp.get_data(as_text=True)


def test_profile_shows_only_the_allowed_fields(partner, people):
    """S7: name, photo, phone, email, address with ZIP, share note and own contacts; nothing else."""
    staff, partner_user = people["admin"], people["partner"]
    agency = staff.organization
    person = pf.client(agency, first_name="Marisol", middle_name="Quillonette", last_name="Vantreight",
                       date_of_birth=DOB, preferred_language="es", phone="541-555-0177",
                       email="marisol.v@example.org", address="88 Juniper Court\nSpringfield, OR",
                       zip_code="97477", photo=pf.photo())
    pf.share(person, partner_user.organization, staff, note=SHARE_NOTE)
    carer = factories.user(agency, first_name="Zebediah", last_name="Thornquist",
                           email="zeb.thornquist@agency.test")
    pf.care_team(person, carer, role="Primary case manager")
    pf.contact(person, staff, notes="STAFF-ONLY court date and probation terms")
    other_org = factories.partner_organization(name="Elsewhere Recovery Collective")
    pf.share(person, other_org, staff, note="OTHER-ORG share note about detox")
    pf.contact(person, factories.user(other_org, role="partner"), notes="OTHER-ORG relapse discussion")
    pf.contact(person, partner_user, notes="Our session went well.", location="Our office")
    other_client = pf.client(agency, first_name="Unrelated", last_name="Person")
    db.session.commit()

    page = html(partner.get(profile_url(person.id)))

    for allowed in ("Marisol Vantreight", "541-555-0177", "marisol.v@example.org", "88 Juniper Court",
                    "Springfield, OR", "97477", SHARE_NOTE, f"Note from {agency.name}",
                    "Our session went well.", "Our office", "Needs Review",
                    f'src="/partner/clients/{person.id}/photo"'):
        assert allowed in page, allowed
    absent = [*DOB_FORMATS, "Quillonette", "Zebediah", "Thornquist", "zeb.thornquist@agency.test",
              "Primary case manager", "STAFF-ONLY", "OTHER-ORG", "Elsewhere Recovery", "Spanish", "Español",
              "Preferred", "Date of birth", "Unrelated", f"/clients/{other_client.id}", NOTICE_PHRASE]
    for secret in absent:
        assert secret not in page, secret


def test_profile_view_is_audited_with_the_partner_as_actor(partner, people, shared):
    assert partner.get(profile_url(shared.client_id)).status_code == 200
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "client.viewed")).one()
    assert (event.actor_kind, event.actor_id) == ("partner", people["partner"].id)
    assert event.client_id == shared.client_id
    assert event.site == "partner"
    assert json.loads(event.details) == {"site": "partner"}


def test_profile_without_note_or_contacts_says_so(partner, people):
    staff = people["admin"]
    share = pf.share(pf.client(staff.organization), people["partner"].organization, staff, note="")
    db.session.commit()
    page = html(partner.get(profile_url(share.client_id)))
    assert "The agency did not add a note." in page
    assert "has not recorded a contact" in page
    assert f'href="/partner/clients/{share.client_id}/contacts/new"' in page


def test_home_lists_the_shared_clients_with_date_and_agency(partner, people, frozen_clock):
    staff, partner_user = people["admin"], people["partner"]
    with_photo = pf.client(staff.organization, first_name="Ana", last_name="Alvarez", photo=pf.photo())
    without_photo = pf.client(staff.organization, first_name="Bo", last_name="Brandt")
    pf.share(with_photo, partner_user.organization, staff, shared_at=datetime(2026, 11, 20, 18, 0, tzinfo=UTC))
    pf.share(without_photo, partner_user.organization, staff)
    unshared = pf.client(staff.organization, first_name="Cy", last_name="Hidden")
    other_org = factories.partner_organization()
    pf.share(pf.client(staff.organization, first_name="Di", last_name="Elsewhere"), other_org, staff)
    revoked = pf.client(staff.organization, first_name="Ed", last_name="Revoked")
    pf.share(revoked, partner_user.organization, staff, revoked_at=datetime(2026, 11, 21, tzinfo=UTC),
             revoked_by_id=staff.id)
    db.session.commit()

    page = html(partner.get(HOME))

    assert page.index("Ana Alvarez") < page.index("Bo Brandt")  # by last name
    assert f'href="/partner/clients/{with_photo.id}"' in page
    assert f'src="/partner/clients/{with_photo.id}/photo"' in page
    assert f"/partner/clients/{without_photo.id}/photo" not in page
    assert ">BB</span>" in page  # initials stand in for a missing photo
    assert "Shared <time" in page and "Nov 20, 2026" in page  # 10 AM in Los Angeles
    assert f"by {staff.organization.name}" in page
    for hidden in ("Cy Hidden", "Di Elsewhere", "Ed Revoked", f"/clients/{unshared.id}", f"/clients/{revoked.id}"):
        assert hidden not in page
    assert "No clients are shared" not in page


def test_home_empty_state(partner):
    page = html(partner.get(HOME))
    assert "No clients are shared with your organization at the moment." in page
    assert NOTICE_PHRASE not in page


def test_home_shows_the_part2_notice_once_when_a_listed_client_is_protected(partner, people):
    staff, org = people["admin"], people["partner"].organization
    for _ in range(2):
        pf.share(pf.client(staff.organization, part2_protected=True), org, staff)
    pf.share(pf.client(staff.organization), org, staff)
    db.session.commit()
    page = html(partner.get(HOME))
    assert page.count(NOTICE_PHRASE) == 1
    assert 'class="part2-notice"' in page


def test_home_has_no_part2_notice_without_protected_clients(partner, shared):
    page = html(partner.get(HOME))
    assert shared.client.display_name in page
    assert NOTICE_PHRASE not in page


def test_profile_shows_the_part2_notice_only_for_protected_clients(partner, people, shared):
    staff = people["admin"]
    protected = pf.share(pf.client(staff.organization, part2_protected=True), people["partner"].organization, staff)
    db.session.commit()
    page = html(partner.get(profile_url(protected.client_id)))
    assert PART2_NOTICE in page and 'class="part2-notice"' in page
    assert NOTICE_PHRASE not in html(partner.get(profile_url(shared.client_id)))


def test_photo_is_served_with_its_stored_type(partner, people):
    staff = people["admin"]
    stored = pf.photo(seed=3)
    share = pf.share(pf.client(staff.organization, photo=stored), people["partner"].organization, staff)
    db.session.commit()
    resp = partner.get(f"/partner/clients/{share.client_id}/photo")
    assert resp.status_code == 200
    assert resp.mimetype == "image/png"
    assert resp.get_data() == read_bytes(stored)
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Disposition"].startswith("attachment")
    assert resp.headers["Cache-Control"] == "no-store"


def test_photo_of_a_client_without_one_is_not_found(partner, shared):
    assert partner.get(f"/partner/clients/{shared.client_id}/photo").status_code == 404


def _statements_for(http, url: str) -> int:
    """SQL statements one GET of `url` sends (after a warm-up request)."""
    seen: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    http.get(url)
    connection = db.session.get_bind()
    event.listen(connection, "before_cursor_execute", listener)
    try:
        assert http.get(url).status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", listener)
    return len(seen)


def test_pages_send_a_bounded_number_of_queries(partner, people, shared):
    """P3: the list and the profile cost the same with 1 or 15 clients and contacts."""
    partner_user = people["partner"]
    profile = profile_url(shared.client_id)
    pf.contact(shared.client, partner_user)
    db.session.commit()
    few = (_statements_for(partner, HOME), _statements_for(partner, profile))
    for _ in range(14):
        agency = factories.agency()  # clients of several agencies: each row names its agency
        pf.share(pf.client(agency, photo=pf.photo(seed=_)), partner_user.organization, factories.user(agency))
        pf.contact(shared.client, factories.user(partner_user.organization, role="partner"))
    db.session.commit()
    many = (_statements_for(partner, HOME), _statements_for(partner, profile))
    assert many == few


def test_photo_and_record_contact_page_are_audited_views(partner, people):
    """S13: the photo and the Record Contact form (it names the client) are views of the record."""
    staff = people["admin"]
    share = pf.share(pf.client(staff.organization, photo=pf.photo(seed=4)), people["partner"].organization, staff)
    db.session.commit()
    assert partner.get(f"/partner/clients/{share.client_id}/photo").status_code == 200
    assert partner.get(f"/partner/clients/{share.client_id}/contacts/new").status_code == 200
    db.session.rollback()  # only what the requests committed remains
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "client.viewed")
                                .order_by(AuditEvent.id)).all()
    assert [(e.actor_id, e.client_id, json.loads(e.details)["page"]) for e in events] == [
        (people["partner"].id, share.client_id, "partner.clients_photo"),
        (people["partner"].id, share.client_id, "partner.contacts_new"),
    ]
