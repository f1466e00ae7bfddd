"""Partner site: record a contact (Needs Review), edit it until reviewed, optimistic locking, bad input."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.sharing import services
from portal_app.sharing.models import Contact, ContactMethod, ContactSource
from tests import factories
from tests.conftest import csrf_token
from tests import factories as pf

VERSION_RE = re.compile(r'name="version_id" type="hidden" value="(\d*)"')
LOCKED = "This contact has been reviewed by the agency and can no longer be changed."
NOTICE_PHRASE = "prohibit you from making any further disclosure"
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)  # the frozen clock: 1:00 AM in Los Angeles


def html(resp) -> str:
    return resp.get_data(as_text=True)


def new_url(client_id: int) -> str:
    return f"/partner/clients/{client_id}/contacts/new"


def edit_url(contact_id: int) -> str:
    return f"/partner/contacts/{contact_id}/edit"


def form(**overrides) -> dict:
    data = {"occurred_at": "2026-11-21T14:30", "method": "in_person", "location": "Riverside office",
            "notes": "Talked about the job search.\nNext session Tuesday."}
    return {**data, **overrides}


def submit(client, url: str, data: dict, version: str | None = "from-page"):
    """Open the form at `url` like a browser, then post `data` with its CSRF token (and version)."""
    page = html(client.get(url))
    fields = dict(data)
    if version == "from-page":
        found = VERSION_RE.search(page)
        if found:
            fields["version_id"] = found.group(1)
    elif version is not None:
        fields["version_id"] = version
    fields["csrf_token"] = csrf_token(client, url)
    return client.post(url, data=fields)


@pytest.fixture
def own_contact(people, shared):
    contact = pf.contact(shared.client, people["partner"], notes="First draft of the notes.", method="video")
    db.session.commit()
    return contact


def test_new_contact_form_starts_at_now_in_local_time(frozen_clock, partner, shared):
    page = html(partner.get(new_url(shared.client_id)))
    assert 'type="datetime-local"' in page and 'value="2026-11-22T01:00"' in page
    for method in ContactMethod:
        assert f'<option value="{method.value}">{method.label}</option>' in page


def test_recorded_contact_waits_in_needs_review(frozen_clock, partner, people, shared):
    resp = submit(partner, new_url(shared.client_id), form())
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"/partner/clients/{shared.client_id}")

    contact = db.session.scalars(select(Contact).where(Contact.client_id == shared.client_id)).one()
    assert contact.source == ContactSource.THIRD_PARTY and contact.needs_review
    assert contact.organization_id == people["partner"].organization_id
    assert contact.author_id == people["partner"].id
    assert contact.occurred_at == datetime(2026, 11, 21, 22, 30, tzinfo=UTC)  # 2:30 PM PST
    assert (contact.method, contact.location) == ("in_person", "Riverside office")

    page = html(partner.get(resp.headers["Location"]))
    assert "Your contact was recorded." in page
    assert "Nov 21, 2026, 2:30 PM" in page and "Needs Review" in page
    assert f'href="{edit_url(contact.id)}"' in page


def test_summer_time_is_read_in_daylight_time(frozen_clock, partner, shared):
    assert submit(partner, new_url(shared.client_id), form(occurred_at="2026-07-01T09:00")).status_code == 302
    contact = db.session.scalars(select(Contact).where(Contact.client_id == shared.client_id)).one()
    assert contact.occurred_at == datetime(2026, 7, 1, 16, 0, tzinfo=UTC)  # PDT is UTC-7


def test_edit_form_shows_the_stored_time_in_local_time(partner, own_contact):
    own_contact.occurred_at = datetime(2026, 11, 21, 22, 30, tzinfo=UTC)
    db.session.commit()
    page = html(partner.get(edit_url(own_contact.id)))
    assert 'value="2026-11-21T14:30"' in page
    assert '<option selected value="video">Video</option>' in page
    assert f'name="version_id" type="hidden" value="{own_contact.version_id}"' in page


def test_edit_until_reviewed(frozen_clock, partner, people, shared, own_contact):
    resp = submit(partner, edit_url(own_contact.id), form(notes="Second draft."))
    assert resp.status_code == 302
    db.session.refresh(own_contact)
    assert own_contact.notes == "Second draft." and own_contact.method == "in_person"
    assert own_contact.needs_review

    services.mark_contact_reviewed(people["admin"], own_contact)
    db.session.commit()

    profile = html(partner.get(f"/partner/clients/{shared.client_id}"))
    assert "Second draft." in profile and "Reviewed" in profile and "Needs Review" not in profile
    assert edit_url(own_contact.id) not in profile

    shown = partner.get(edit_url(own_contact.id))
    assert shown.status_code == 409 and LOCKED in html(shown)
    token = csrf_token(partner, "/partner/")
    refused = partner.post(edit_url(own_contact.id), data={**form(notes="Third draft."), "csrf_token": token,
                                                            "version_id": str(own_contact.version_id)})
    assert refused.status_code == 409 and LOCKED in html(refused)
    db.session.refresh(own_contact)
    assert own_contact.notes == "Second draft."


def test_stale_version_answers_409_and_keeps_what_was_typed(frozen_clock, partner, people, own_contact):
    url = edit_url(own_contact.id)
    opened_version = VERSION_RE.search(html(partner.get(url))).group(1)
    # A colleague at the same organization saves first.
    colleague = factories.user(people["partner"].organization, role="partner")
    services.update_contact(colleague, own_contact, own_contact.version_id, occurred_at=own_contact.occurred_at,
                            method="phone", notes="The colleague's version.")
    db.session.commit()

    resp = submit(partner, url, form(notes="My typed notes survive."), version=opened_version)
    assert resp.status_code == 409
    page = html(resp)
    assert "Someone else changed this contact after you opened it." in page
    assert "My typed notes survive." in page and "Riverside office" in page  # in the form
    assert "The colleague&#39;s version." in page  # "Currently saved"
    db.session.refresh(own_contact)
    assert own_contact.notes == "The colleague's version."
    assert f'name="version_id" type="hidden" value="{own_contact.version_id}"' in page

    # Saving again from that page replaces the newer version.
    again = submit(partner, url, form(notes="My typed notes survive."), version=str(own_contact.version_id))
    assert again.status_code == 302
    db.session.refresh(own_contact)
    assert own_contact.notes == "My typed notes survive."


def test_missing_version_is_treated_as_stale(frozen_clock, partner, own_contact):
    resp = submit(partner, edit_url(own_contact.id), form(), version=None)
    assert resp.status_code == 409
    db.session.refresh(own_contact)
    assert own_contact.notes == "First draft of the notes."


def test_review_while_the_form_was_open_locks_the_contact(frozen_clock, partner, people, own_contact):
    url = edit_url(own_contact.id)
    opened_version = VERSION_RE.search(html(partner.get(url))).group(1)
    services.mark_contact_reviewed(people["admin"], own_contact)
    db.session.commit()
    resp = submit(partner, url, form(notes="Too late."), version=opened_version)
    assert resp.status_code == 409 and LOCKED in html(resp)


BAD_INPUT = [
    ({"occurred_at": "2026-11-23T10:00"}, "occurred_at", "The contact cannot be in the future."),
    ({"occurred_at": "9999-12-31T23:59"}, "occurred_at", "The contact cannot be in the future."),
    ({"occurred_at": "1999-12-31T10:00"}, "occurred_at", "Enter a date after 1 January 2000."),
    ({"occurred_at": "0001-01-01T00:00"}, "occurred_at", "Enter a date after 1 January 2000."),
    ({"occurred_at": ""}, "occurred_at", "Enter the date and time of the contact."),
    ({"occurred_at": "2026-02-30T10:00"}, "occurred_at", "Enter a real date and time"),
    ({"occurred_at": "yesterday"}, "occurred_at", "Enter a real date and time"),
    ({"notes": ""}, "notes", "Enter notes about the contact."),
    ({"notes": "   \n  "}, "notes", "Enter notes about the contact."),
    ({"notes": "x" * 10_001}, "notes", "Use at most 10,000 characters."),
    ({"notes": "null\x00byte"}, "notes", "Remove the invisible control characters"),
    ({"method": "carrier_pigeon"}, "method", "Choose how the contact happened."),
    ({"method": ""}, "method", "Choose how the contact happened."),
    ({"location": "y" * 201}, "location", "Use at most 200 characters."),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
@pytest.mark.parametrize("page", ["new", "edit"])
def test_bad_input_answers_422_beside_the_field(frozen_clock, partner, shared, own_contact, page, overrides,
                                                field, message):
    url = new_url(shared.client_id) if page == "new" else edit_url(own_contact.id)
    typed = form(location="Typed location kept", **{k: v for k, v in overrides.items() if k != "location"})
    if "location" in overrides:
        typed["location"] = overrides["location"]
    resp = submit(partner, url, typed)
    assert resp.status_code == 422
    body = html(resp)
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', body)
    assert error and message in error.group(1), body[:2000]
    assert "Please correct the fields marked below." in body
    if field != "location":
        assert "Typed location kept" in body  # nothing lost
    db.session.refresh(own_contact)
    assert own_contact.notes == "First draft of the notes."
    assert db.session.scalar(select(Contact.id).where(Contact.id != own_contact.id)) is None


@pytest.mark.parametrize("page", ["new", "edit", "locked"])
def test_part2_notice_on_contact_pages_of_protected_clients(partner, people, page):
    staff, partner_user = people["admin"], people["partner"]
    pages = {}
    for protected in (True, False):
        share = pf.share(pf.client(staff.organization, part2_protected=protected), partner_user.organization, staff)
        contact = pf.contact(share.client, partner_user, reviewed_by=staff if page == "locked" else None)
        pages[protected] = new_url(share.client_id) if page == "new" else edit_url(contact.id)
    db.session.commit()
    assert NOTICE_PHRASE in html(partner.get(pages[True]))
    assert NOTICE_PHRASE not in html(partner.get(pages[False]))


def test_viewing_the_edit_form_is_audited(partner, people, own_contact):
    partner.get(edit_url(own_contact.id))
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contact.viewed")).one()
    assert (event.actor_kind, event.actor_id, event.client_id) == ("partner", people["partner"].id,
                                                                  own_contact.client_id)


FIELD_TEXT = st.text(max_size=300)
WHEN = st.one_of(
    st.text(max_size=25),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(
        lambda d: d.strftime("%Y-%m-%dT%H:%M")),
)
METHOD = st.one_of(st.sampled_from([m.value for m in ContactMethod]), st.text(max_size=20))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(when=WHEN, method=METHOD, location=FIELD_TEXT, notes=FIELD_TEXT)
def test_new_contact_form_never_fails_with_5xx(partner, shared, when, method, location, notes):
    token = csrf_token(partner, "/partner/")
    resp = partner.post(new_url(shared.client_id), data={"occurred_at": when, "method": method,
                                                         "location": location, "notes": notes, "csrf_token": token})
    assert resp.status_code in (302, 422), resp.status_code


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(when=WHEN, method=METHOD, location=FIELD_TEXT, notes=FIELD_TEXT,
       version=st.one_of(st.just("1"), st.text(max_size=12)))
def test_edit_contact_form_never_fails_with_5xx(partner, own_contact, when, method, location, notes, version):
    token = csrf_token(partner, "/partner/")
    resp = partner.post(edit_url(own_contact.id), data={"occurred_at": when, "method": method, "location": location,
                                                         "notes": notes, "version_id": version, "csrf_token": token})
    assert resp.status_code in (302, 409, 422), resp.status_code
