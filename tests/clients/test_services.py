"""Client services: add, edit (validation, optimistic locking), photo, and the audit of every change and view."""
from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import select, update

from portal_app.audit import AuditEvent, verify_chain
from portal_app.clients import services
from portal_app.clients.models import PRIMARY_CASE_MANAGER, Client
from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.files import read_bytes
from tests import factories
from tests.factories import clients as client_factories

VALID = {"first_name": "Maria", "middle_name": "Elena", "last_name": "Garcia", "date_of_birth": date(1984, 3, 21),
         "phone": "(541) 555-0101", "email": "maria.garcia@example.org", "address": "1 Main St\nApt 2",
         "zip_code": "97401", "preferred_language": "es", "part2_protected": True}


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_create_client_in_the_actors_agency(case_manager):
    client = services.create_client(case_manager, **VALID)
    assert client.id is not None and client.organization_id == case_manager.organization_id
    assert (client.full_name, client.date_of_birth, client.zip_code) == ("Maria Elena Garcia", date(1984, 3, 21), "97401")
    assert client.preferred_language == "es" and client.part2_protected
    assert [(m.user, m.role) for m in client.care_team] == [(case_manager, PRIMARY_CASE_MANAGER)]


@pytest.mark.parametrize("role", ["admin", "supervisor"])
def test_only_a_case_manager_joins_the_care_team(people, role):
    client = services.create_client(people[role], first_name="Ann", last_name="Lee")
    assert client.care_team == []


def test_values_are_trimmed(case_manager):
    client = services.create_client(case_manager, first_name="  Ann ", last_name=" Lee", email=" a@example.org ")
    assert (client.first_name, client.last_name, client.email) == ("Ann", "Lee", "a@example.org")


def test_partners_cannot_create_clients(partner_user):
    with pytest.raises(services.ClientOutOfScope):
        services.create_client(partner_user, first_name="Ann", last_name="Lee")


TOMORROW = (utcnow() + timedelta(days=2)).date()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "   ", "Enter the client\u2019s first name."),
        ("last_name", "", "Enter the client\u2019s last name."),
        ("first_name", "x" * 101, "Use at most 100 characters."),
        ("middle_name", "a\x00b", "Remove the invisible control characters"),
        ("date_of_birth", TOMORROW, "cannot be in the future"),
        ("date_of_birth", date(1899, 12, 31), "after 1 January 1900"),
        ("phone", "555-01", "7 to 20 digits"),
        ("phone", "1" * 21, "7 to 20 digits"),
        ("phone", "call me maybe 5550101", "7 to 20 digits"),
        ("email", "not-an-email", "valid email address"),
        ("zip_code", "9740", "5-digit ZIP code"),
        ("zip_code", "97401-12", "5-digit ZIP code"),
        ("preferred_language", "fr", "English or Spanish"),
        ("address", "x" * 401, "at most 400"),
    ],
)
def test_each_rule_names_its_field(case_manager, field, value, message):
    with pytest.raises(services.InvalidClientField) as err:
        services.create_client(case_manager, **{**VALID, field: value})
    assert err.value.field == field and err.value.status == 422
    assert message in str(err.value)
    assert events("client.created") == []


@pytest.mark.parametrize("phone", ["5415550101", "+1 (541) 555-0101", "541.555.0101", "1234567"])
def test_phone_formats_accepted(case_manager, phone):
    assert services.create_client(case_manager, first_name="A", last_name="B", phone=phone).phone == phone


def test_created_event_names_fields_without_values(case_manager):
    client = services.create_client(case_manager, **VALID)
    [event] = events("client.created")
    assert (event.client_id, event.object_type, event.object_id) == (client.id, "Client", str(client.id))
    details = json.loads(event.details)
    assert "first_name" in details["fields"] and details["care_team"] == [PRIMARY_CASE_MANAGER]
    for secret in ("Maria", "Garcia", "1984", "555-0101", "maria.garcia", "97401", "Main St"):
        assert secret not in event.details


def test_update_saves_and_audits_the_changed_field_names(admin, agency):
    client = client_factories.client(agency, **VALID)
    version = client.version_id
    changed = services.update_client(admin, client, version, **{**VALID, "phone": "(541) 555-0199", "zip_code": "97402"})
    assert changed == ["phone", "zip_code"]
    assert client.phone == "(541) 555-0199" and client.version_id == version + 1
    [event] = events("client.updated")
    assert json.loads(event.details) == {"fields": ["phone", "zip_code"]} and event.client_id == client.id


def test_update_without_changes_writes_nothing(admin, agency):
    client = client_factories.client(agency, **VALID)
    assert services.update_client(admin, client, client.version_id, **VALID) == []
    assert events("client.updated") == [] and client.version_id == 1


@pytest.mark.parametrize("expected", [None, 0, 2])
def test_stale_version_is_refused(admin, agency, expected):
    client = client_factories.client(agency, **VALID)
    with pytest.raises(services.StaleEdit) as err:
        services.update_client(admin, client, expected, **{**VALID, "first_name": "Changed"})
    assert err.value.status == 409 and client.first_name == "Maria"


def test_concurrent_save_between_read_and_write_is_stale(admin, agency):
    client = client_factories.client(agency, **VALID)
    # Another request saves the row after ours loaded it (the ORM object still says version 1).
    db.session.execute(update(Client.__table__).where(Client.__table__.c.id == client.id)
                       .values(version_id=Client.__table__.c.version_id + 1))
    with pytest.raises(services.StaleEdit):
        services.update_client(admin, client, 1, **{**VALID, "first_name": "Changed"})


def test_concurrent_save_during_a_photo_upload_is_stale(case_manager, agency):
    client = client_factories.client(agency)
    db.session.execute(update(Client.__table__).where(Client.__table__.c.id == client.id)
                       .values(version_id=Client.__table__.c.version_id + 1))
    with pytest.raises(services.StaleEdit) as err:
        services.set_client_photo(case_manager, client, client_factories.image_bytes(), "a.png")
    assert str(err.value) == services.PHOTO_STALE


def test_staff_of_another_agency_cannot_change_or_view(agency):
    client = client_factories.client(agency, **VALID)
    outsider = factories.user(factories.agency(), role="admin")
    with pytest.raises(services.ClientOutOfScope):
        services.update_client(outsider, client, client.version_id, **VALID)
    with pytest.raises(services.ClientOutOfScope):
        services.set_client_photo(outsider, client, client_factories.image_bytes(), "p.png")
    with pytest.raises(services.ClientOutOfScope):
        services.record_client_view(outsider, client)
    assert events("client.viewed") == []


def test_record_client_view_is_an_audit_event(case_manager, agency):
    client = client_factories.client(agency)
    event = services.record_client_view(case_manager, client, page="staff.client_profile")
    assert (event.action, event.client_id, event.actor_id) == ("client.viewed", client.id, case_manager.id)
    assert json.loads(event.details) == {"page": "staff.client_profile"}
    assert verify_chain().ok


# --- photos -------------------------------------------------------------------------------


def _image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize(
    ("fmt", "mode", "stored_as"),
    [("JPEG", "RGB", "image/jpeg"), ("PNG", "RGB", "image/jpeg"), ("PNG", "RGBA", "image/png"),
     ("WEBP", "RGB", "image/jpeg"), ("GIF", "P", "image/jpeg")],
)
def test_photo_accepted_by_content_and_reencoded(case_manager, agency, fmt, mode, stored_as):
    client = client_factories.client(agency)
    color = 3 if mode == "P" else (10, 120, 200, 255)[: len(mode)]
    services.set_client_photo(case_manager, client, client_factories.image_bytes(fmt, (1200, 900), mode, color), "x.bin")
    assert client.photo.content_type == stored_as and client.photo_thumb.content_type == stored_as
    assert _image(read_bytes(client.photo)).size == (512, 384)
    assert _image(read_bytes(client.photo_thumb)).size == (96, 96)
    [event] = events("client.photo_changed")
    assert event.client_id == client.id and json.loads(event.details) == {"replaced": False, "content_type": stored_as}


def test_replacing_a_photo_is_audited_as_such(case_manager, agency):
    client = client_factories.client(agency)
    services.set_client_photo(case_manager, client, client_factories.image_bytes("PNG", color=(1, 2, 3)), "a.png")
    first = client.photo_id
    services.set_client_photo(case_manager, client, client_factories.image_bytes("PNG", color=(9, 8, 7)), "b.png")
    assert client.photo_id != first
    assert [json.loads(e.details)["replaced"] for e in events("client.photo_changed")] == [False, True]


def test_photo_metadata_is_stripped_and_orientation_applied(case_manager, agency):
    client = client_factories.client(agency)
    services.set_client_photo(case_manager, client, client_factories.jpeg_with_exif((80, 40), orientation=6), "me.jpg")
    stored = read_bytes(client.photo)
    assert _image(stored).size == (40, 80)  # turned upright
    assert not _image(stored).getexif() and b"SecretCam" not in stored and b"Exif" not in stored


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"I am plain text pretending to be a picture", "not a photo we can use"),
        (b"", "Choose a photo"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not a photo we can use"),  # a PNG signature, nothing behind it
        (b"%PDF-1.7\n", "not a photo we can use"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "not a photo we can use"),
    ],
)
def test_photo_refused_by_content(case_manager, agency, data, message):
    client = client_factories.client(agency)
    with pytest.raises(services.PhotoRejected) as err:
        services.set_client_photo(case_manager, client, data, "photo.png")
    assert err.value.field == "photo" and err.value.status == 422 and message in str(err.value)
    assert client.photo_id is None and events("client.photo_changed") == []


def test_other_image_formats_are_refused(case_manager, agency):
    client = client_factories.client(agency)
    for fmt in ("BMP", "TIFF"):
        with pytest.raises(services.PhotoRejected):
            services.set_client_photo(case_manager, client, client_factories.image_bytes(fmt), "photo.png")


def test_truncated_photo_is_refused(case_manager, agency):
    client = client_factories.client(agency)
    data = client_factories.image_bytes("JPEG", (400, 400))
    with pytest.raises(services.PhotoRejected):
        services.set_client_photo(case_manager, client, data[: len(data) // 2], "cut.jpg")


@pytest.mark.parametrize(
    "data",
    [
        client_factories.image_bytes("PNG", (8000, 5001), "1", 0),  # 40 MP and a row, in a 5 KB file
        client_factories.png_claiming(20_000, 20_000),  # past Pillow's own decompression-bomb limit
        client_factories.png_claiming(10_000, 4_001),  # past ours only
    ],
)
def test_photo_with_too_many_pixels_is_refused(case_manager, agency, data):
    client = client_factories.client(agency)
    assert len(data) < 10_000
    with pytest.raises(services.PhotoRejected) as err:
        services.set_client_photo(case_manager, client, data, "huge.png")
    assert "megapixels" in str(err.value)


def test_photo_with_too_many_bytes_is_refused(case_manager, agency):
    client = client_factories.client(agency)
    data = client_factories.image_bytes("PNG", (64, 64)) + b"\x00" * (5 * 1024 * 1024)
    with pytest.raises(services.PhotoRejected) as err:
        services.set_client_photo(case_manager, client, data, "big.png")
    assert "larger than 5 MB" in str(err.value)
