"""The client log and contacts on the staff site: record, read, edit, stale edits."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal_app.extensions import db
from portal_app.sharing import services as sharing
from portal_app.sharing.models import Contact
from tests import factories as sf
from tests.sites.staff.sharing.helpers import VERSION_RE, count, html, pages, path_of, post


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
