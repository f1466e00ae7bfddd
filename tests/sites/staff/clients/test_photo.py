"""Clients on the staff site: uploading, replacing and serving a photo (S11)."""
from __future__ import annotations

import io
import json
import re
from urllib.parse import urlsplit

import pytest
from PIL import Image
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.clients import services
from portal_app.extensions import db
from tests.conftest import csrf_token
from tests.factories import clients as client_factories
from tests.sites.staff.admin.helpers import html
from tests.sites.staff.clients.helpers import LIST, audit_actions, profile, upload


def test_upload_replace_and_serve_a_photo(staff, roster):
    ana = roster["ana"]
    page = html(staff.get(f"{profile(ana)}/photo"))
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page and "Upload photo" in page
    resp = upload(staff, ana, client_factories.image_bytes("PNG", (900, 600), "RGBA", (0, 128, 0, 128)), "ana.png")
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == profile(ana)
    assert ana.photo is not None and ana.photo_thumb is not None
    full = staff.get(f"{profile(ana)}/photo/full")
    assert full.status_code == 200 and full.mimetype == "image/png"
    assert full.headers["X-Content-Type-Options"] == "nosniff" and full.headers["Cache-Control"] == "no-store"
    assert full.headers["Content-Disposition"] == "attachment"
    assert Image.open(io.BytesIO(full.data)).size == (512, 341)
    thumb = staff.get(f"{profile(ana)}/photo/thumb")
    assert Image.open(io.BytesIO(thumb.data)).size == (96, 96)
    assert f'src="{profile(ana)}/photo/thumb"' in html(staff.get(LIST))
    assert f'src="{profile(ana)}/photo/full"' in html(staff.get(profile(ana)))

    first = ana.photo_id
    assert "Replace photo" in html(staff.get(f"{profile(ana)}/photo"))
    assert upload(staff, ana, client_factories.image_bytes("JPEG", (300, 300)), "new.jpg").status_code == 302
    assert ana.photo_id != first
    assert staff.get(f"{profile(ana)}/photo/full").mimetype == "image/jpeg"
    assert audit_actions(ana).count("client.photo_changed") == 2


def test_a_photo_without_thumbnail_serves_the_photo(staff, roster, case_manager):
    ana = roster["ana"]
    services.set_client_photo(case_manager, ana, client_factories.image_bytes("JPEG", (64, 64)), "a.jpg")
    ana.photo_thumb = None  # as the demo's generated photos are
    db.session.commit()
    assert Image.open(io.BytesIO(staff.get(f"{profile(ana)}/photo/thumb").data)).size == (64, 64)


def test_every_photo_served_is_an_audited_view(staff, roster, case_manager):
    """S13: the full photo and the thumbnail show the client: each is a view of the record."""
    ana = roster["ana"]
    services.set_client_photo(case_manager, ana, client_factories.image_bytes("JPEG", (64, 64)), "a.jpg")
    db.session.commit()
    assert staff.get(f"{profile(ana)}/photo/full").status_code == 200
    assert staff.get(f"{profile(ana)}/photo/thumb").status_code == 200
    db.session.rollback()  # only what the requests committed remains
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "client.viewed",
                                                        AuditEvent.client_id == ana.id)).all()
    assert [(e.actor_id, json.loads(e.details)["page"]) for e in views] == [
        (case_manager.id, "staff.client_photo_file:full"), (case_manager.id, "staff.client_photo_file:thumb")]


def test_no_photo_is_404(staff, roster):
    assert staff.get(f"{profile(roster['ana'])}/photo/full").status_code == 404
    assert staff.get(f"{profile(roster['ana'])}/photo/other").status_code == 404


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"just some text, honestly", "photo.png", "This file is not a photo we can use."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "photo.svg", "This file is not a photo we can use."),
        (client_factories.image_bytes("PNG", (64, 64)) + b"\x00" * (5 * 1024 * 1024), "big.png", "larger than 5 MB"),
        (client_factories.image_bytes("PNG", (8000, 5001), "1", 0), "huge.png", "megapixels"),
    ],
)
def test_refused_photos_are_422_beside_the_field(staff, roster, data, filename, message):
    ana = roster["ana"]
    resp = upload(staff, ana, data, filename)
    assert resp.status_code == 422
    error = re.search(r'<p class="error" id="photo-error">([^<]*)</p>', html(resp))
    assert error and message in error.group(1)
    assert ana.photo_id is None and "client.photo_changed" not in audit_actions(ana)


def test_a_concurrent_change_during_upload_is_409(staff, roster, monkeypatch):
    def saved_meanwhile(actor, client, upload_bytes, filename):
        raise services.StaleEdit(services.PHOTO_STALE)

    monkeypatch.setattr(services, "set_client_photo", saved_meanwhile)
    resp = upload(staff, roster["ana"], client_factories.image_bytes(), "a.png")
    assert resp.status_code == 409 and "Choose it again" in html(resp)


def test_no_file_chosen_is_422(staff, roster):
    url = f"{profile(roster['ana'])}/photo"
    resp = staff.post(url, data={"csrf_token": csrf_token(staff, url)}, content_type="multipart/form-data")
    assert resp.status_code == 422 and "Choose a photo to upload." in html(resp)


def test_an_upload_past_the_request_limit_is_413(staff, roster, app):
    too_big = b"\x00" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    assert upload(staff, roster["ana"], too_big, "huge.jpg").status_code == 413
