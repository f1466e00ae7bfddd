"""Client records on the staff site: list and live search, profile, add, edit, photo; scope, audit, P3, R4."""
from __future__ import annotations

import io
import json
import re
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal_app.audit import AuditEvent
from portal_app.clients import services
from portal_app.clients.models import PRIMARY_CASE_MANAGER, Client
from portal_app.extensions import db
from tests import factories
from tests.clients import factories as client_factories
from tests.conftest import csrf_token
from tests.sites.staff.test_admin import VERSION_RE, html, submit
from tests.sql import count_statements

LIST = "/staff/clients"
NEW = "/staff/clients/new"
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CLIENT_FIELDS = ("first_name", "middle_name", "last_name", "date_of_birth", "phone", "email", "address", "zip_code",
                 "preferred_language", "part2_protected", "version_id")


def profile(client: Client) -> str:
    return f"/staff/clients/{client.id}"


def client_form(**overrides) -> dict:
    data = {"first_name": "Maria", "middle_name": "", "last_name": "Garcia", "date_of_birth": "1984-03-21",
            "phone": "(541) 555-0101", "email": "maria.garcia@example.org", "address": "1 Main St",
            "zip_code": "97401", "preferred_language": "es", "part2_protected": "y"}
    return {**data, **overrides}


def upload(http, client: Client, data: bytes, filename: str = "photo.png"):
    """Post the photo form. The body is encoded in memory: the test client spools big bodies to a
    temporary file it never closes (a ResourceWarning, an error here)."""
    url = f"{profile(client)}/photo"
    boundary, body = encode_multipart(
        {"csrf_token": csrf_token(http, url), "photo": FileStorage(io.BytesIO(data), filename)}
    )
    return http.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def audit_actions(client: Client) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.client_id == client.id)
                                   .order_by(AuditEvent.id)))


@pytest.fixture
def roster(agency, case_manager, supervisor):
    """Three clients of the agency (committed: refused requests roll back what was not)."""
    make = client_factories.client
    clients = {
        "maria": make(agency, first_name="Maria", last_name="Garcia", phone="(541) 555-0101",
                      email="maria@example.org", address="1 Main St", zip_code="97401", part2_protected=True,
                      care_team=((case_manager, PRIMARY_CASE_MANAGER), (supervisor, "Supervisor"))),
        "james": make(agency, first_name="James", last_name="Whitfield", phone="541.555.0102"),
        "ana": make(agency, first_name="Ana", last_name="Lopez", phone=""),
    }
    db.session.commit()
    return clients


@pytest.fixture
def staff(client, auth, people):
    """The test client signed in as the agency's case manager."""
    assert auth.login(people["case_manager"]).status_code == 302
    return client


@pytest.fixture
def outsider(client, auth, people):
    """The test client signed in as an administrator of another agency."""
    other = factories.user(factories.agency(), role="admin", email="admin@elsewhere.test")
    db.session.commit()
    assert auth.login(other).status_code == 302
    return client


# --- list and search ------------------------------------------------------------------------


def test_list_shows_the_agencys_clients(staff, roster, case_manager):
    elsewhere = client_factories.client(factories.agency(), first_name="Zora", last_name="Elsewhere")
    db.session.commit()
    resp = staff.get(LIST)
    page = html(resp)
    assert resp.status_code == 200 and "<html" in page
    assert page.index("Garcia, Maria") < page.index("Lopez, Ana") < page.index("Whitfield, James")
    assert f'href="{profile(roster["maria"])}"' in page
    assert "Mar" not in "Zora" and "Elsewhere" not in page and str(elsewhere.id) not in re.findall(r"clients/(\d+)", page)
    assert "(541) 555-0101" in page and case_manager.display_name in page
    assert "3 clients" in page
    assert 'href="/staff/clients/new"' in page


def test_every_staff_page_links_to_clients(staff):
    assert f'href="{LIST}"' in html(staff.get("/staff/")) and f'href="{LIST}"' in html(staff.get("/staff/account"))


def test_search_by_name_and_by_phone(staff, roster):
    by_name = html(staff.get(LIST, query_string={"q": "garc"}))
    assert "Garcia, Maria" in by_name and "Whitfield" not in by_name and "1 client matching" in by_name
    assert 'value="garc"' in by_name  # the search box keeps the words
    by_phone = html(staff.get(LIST, query_string={"q": "5550102"}))
    assert "Whitfield, James" in by_phone and "Garcia" not in by_phone
    nothing = html(staff.get(LIST, query_string={"q": "nobody"}))
    assert "No clients match" in nothing


def test_live_search_markup_works_with_and_without_javascript(staff, roster):
    page = html(staff.get(LIST))
    form = re.search(r'<form class="client-search" method="get" action="/staff/clients"[^>]*>(.*?)</form>', page, re.S)
    assert form and 'name="q"' in form.group(1) and '<button type="submit">Search</button>' in form.group(1)
    box = re.search(r"<input type=\"search\"[^>]*>", form.group(1)).group(0)
    for attribute in ('hx-get="/staff/clients"', 'hx-trigger="input changed delay:300ms, search"',
                      'hx-target="#client-results"', 'hx-push-url="true"'):
        assert attribute in box


def test_htmx_gets_the_fragment_and_the_page_includes_the_same_markup(staff, roster):
    fragment = staff.get(LIST, query_string={"q": "garcia"}, headers={"HX-Request": "true"})
    full = staff.get(LIST, query_string={"q": "garcia"})
    assert fragment.status_code == full.status_code == 200
    assert "<html" not in html(fragment) and "<nav aria-label=\"Main\"" not in html(fragment)
    assert "Garcia, Maria" in html(fragment) and "Whitfield" not in html(fragment)
    results = re.search(r'<div id="client-results">(.*)</div>\s*</main>', html(full), re.S).group(1)
    assert results.split() == html(fragment).split()
    for resp in (fragment, full):
        assert "HX-Request" in resp.headers["Vary"] and resp.headers["Cache-Control"] == "no-store"


def test_history_restore_gets_the_whole_page(staff, roster):
    resp = staff.get(LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in html(resp)


def test_pages_of_25_keep_the_search(staff, agency, case_manager):
    client_factories.many_clients(agency, 30, case_manager)
    db.session.commit()
    first = html(staff.get(LIST, query_string={"q": "bulk"}))
    assert first.count('<td class="avatar-cell">') == 25 and "Page 1 of 2" in first
    assert 'href="/staff/clients?q=bulk&amp;page=2"' in first and 'rel="prev"' not in first
    second = html(staff.get(LIST, query_string={"q": "bulk", "page": "2"}))
    assert second.count('<td class="avatar-cell">') == 5
    assert 'href="/staff/clients?q=bulk&amp;page=1"' in second and 'rel="next"' not in second
    beyond = html(staff.get(LIST, query_string={"page": "9"}))
    assert "no clients on this page" in beyond and 'href="/staff/clients?page=1"' in beyond
    for odd in ("abc", "-3", "9" * 40, "0"):
        assert staff.get(LIST, query_string={"page": odd, "q": "\x00%_\\"}).status_code == 200


def test_clients_without_a_photo_show_initials_not_an_image(staff, roster):
    page = html(staff.get(LIST))
    assert '<span class="avatar avatar-sm avatar-initials' in page and ">MG</span>" in page
    assert "/photo/" not in page


# --- P3: queries per page do not grow with the data -------------------------------------------


def test_list_queries_are_bounded_whatever_the_number_of_clients(staff, agency, case_manager):
    client_factories.many_clients(agency, 10, case_manager)
    db.session.commit()
    with count_statements() as few:
        assert staff.get(LIST).status_code == 200
    client_factories.many_clients(agency, 490, case_manager)
    db.session.commit()
    assert db.session.scalar(select(func.count(Client.id)).where(Client.organization_id == agency.id)) == 500
    with count_statements() as many:
        page = html(staff.get(LIST))
    assert page.count('<td class="avatar-cell">') == 25 and "Page 1 of 20" in page
    # 4 today: the signed-in person, the page of clients, their care teams, the count.
    assert len(few) == len(many) <= 6, (few, many)
    with count_statements() as searched:
        assert staff.get(LIST, query_string={"q": "bulk 555"}, headers={"HX-Request": "true"}).status_code == 200
    assert len(searched) <= len(many)


def test_profile_queries_do_not_grow_with_the_care_team(staff, agency, case_manager):
    small = client_factories.client(agency, care_team=((case_manager, "Primary case manager"),))
    team = tuple((factories.user(agency), "Case manager") for _ in range(12))
    large = client_factories.client(agency, care_team=team)
    db.session.commit()
    counts = []
    for person in (small, large):
        with count_statements() as statements:
            assert staff.get(profile(person)).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


# --- profile -----------------------------------------------------------------------------------


def test_profile_shows_the_record_with_toolbar_and_tabs(staff, roster, case_manager, supervisor):
    maria = roster["maria"]
    resp = staff.get(profile(maria))
    page = html(resp)
    assert resp.status_code == 200
    toolbar = re.search(r'<header class="client-toolbar">(.*?)</header>', page, re.S).group(1)
    assert "<h1>Maria Garcia</h1>" in toolbar and "avatar-initials" in toolbar
    menu = re.search(r'<details class="overflow-menu">(.*?)</details>', toolbar, re.S).group(1)
    assert '<summary aria-label="More actions for Maria Garcia">' in menu
    assert f'href="{profile(maria)}/edit">Edit client<' in menu and f'href="{profile(maria)}/photo">Change photo<' in menu
    assert re.search(r'<nav class="tabs" aria-label="Client record">.*aria-current="page">Profile</a>', page, re.S)
    assert "42 CFR Part 2 protected" in page and "Spanish" not in page and "English" in page
    for shown in ("(541) 555-0101", "maria@example.org", "1 Main St", "97401", case_manager.full_name,
                  case_manager.email, PRIMARY_CASE_MANAGER, supervisor.full_name):
        assert shown in page


def test_every_view_of_a_record_is_audited_and_kept(staff, roster, case_manager):
    maria = roster["maria"]
    staff.get(profile(maria))
    staff.get(f"{profile(maria)}/edit")
    db.session.rollback()  # only what the requests committed remains
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "client.viewed",
                                                        AuditEvent.client_id == maria.id)).all()
    assert [(e.actor_id, e.site, json.loads(e.details)["page"]) for e in views] == [
        (case_manager.id, "staff", "staff.client_profile"), (case_manager.id, "staff", "staff.client_edit")]


@pytest.mark.parametrize("path", ["", "/edit", "/photo", "/photo/full", "/photo/thumb"])
def test_another_agencys_staff_get_404(outsider, roster, path):
    maria = roster["maria"]
    services.set_client_photo(factories.user(maria.organization), maria, client_factories.image_bytes(), "p.png")
    db.session.commit()
    assert outsider.get(profile(maria) + path).status_code == 404
    assert outsider.get(f"/staff/clients/999999{path}").status_code == 404
    if path in ("/edit", "/photo"):
        token = csrf_token(outsider, LIST + "/new")
        assert outsider.post(profile(maria) + path, data={**client_form(), "csrf_token": token}).status_code == 404
    assert "client.viewed" not in audit_actions(maria)
    assert "Garcia" not in html(outsider.get(LIST))


@pytest.mark.parametrize("path", ["", "/1", "/1/edit", "/1/photo", "/1/photo/full", "/new"])
def test_partner_users_are_sent_to_the_staff_sign_in(client, auth, partner_user, path):
    assert auth.login(partner_user).status_code == 302
    resp = client.get(LIST + path)
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == "/staff/login"


# --- add and edit ----------------------------------------------------------------------------


def test_add_a_client(staff, case_manager):
    resp = submit(staff, NEW, client_form())
    assert resp.status_code == 302
    client = db.session.scalar(select(Client).where(Client.last_name == "Garcia"))
    assert urlsplit(resp.headers["Location"]).path == profile(client)
    assert client.organization_id == case_manager.organization_id and client.part2_protected
    assert str(client.date_of_birth) == "1984-03-21" and client.preferred_language == "es"
    assert [(m.user_id, m.role) for m in client.care_team] == [(case_manager.id, PRIMARY_CASE_MANAGER)]
    assert audit_actions(client) == ["client.created"]
    page = html(staff.get(resp.headers["Location"]))
    assert "The client was added." in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Enter the client\u2019s first name."),
        ("last_name", "x" * 101, "Use at most 100 characters."),
        ("date_of_birth", "2999-01-01", "cannot be in the future"),
        ("date_of_birth", "1850-05-05", "after 1 January 1900"),
        ("date_of_birth", "31/31/2000", "real date"),
        ("phone", "12ab", "7 to 20 digits"),
        ("email", "maria@", "valid email address"),
        ("zip_code", "ABCDE", "5-digit ZIP code"),
        ("preferred_language", "fr", "English or Spanish"),
        ("address", "line\x00", "control characters"),
    ],
)
def test_bad_input_is_422_beside_its_field(staff, roster, field, value, message):
    for url in (NEW, f"{profile(roster['james'])}/edit"):
        resp = submit(staff, url, client_form(**{field: value}))
        page = html(resp)
        assert resp.status_code == 422, url
        error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
        assert error and message in error.group(1).replace("&#39;", "'").replace("&rsquo;", "\u2019")
    assert db.session.scalar(select(func.count(Client.id)).where(Client.first_name == "Maria")) == 1


def test_edit_a_client(staff, roster):
    james = roster["james"]
    resp = submit(staff, f"{profile(james)}/edit", client_form(first_name="Jim", last_name="Whitfield"))
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == profile(james)
    assert james.first_name == "Jim" and james.zip_code == "97401"
    assert audit_actions(james)[-1] == "client.updated"
    assert "Jim" not in json.dumps(db.session.scalars(select(AuditEvent.details)).all())


def test_stale_edit_is_409_and_keeps_the_typing(staff, roster, admin):
    james = roster["james"]
    url = f"{profile(james)}/edit"
    loaded = VERSION_RE.search(html(staff.get(url))).group(1)
    services.update_client(admin, james, james.version_id, **{**client_form(), "first_name": "Saved",
                                                              "last_name": "Elsewhere", "date_of_birth": None})
    db.session.commit()
    token = csrf_token(staff, url)
    resp = staff.post(url, data={**client_form(first_name="My Typing"), "version_id": loaded, "csrf_token": token})
    page = html(resp)
    assert resp.status_code == 409
    assert "Someone else changed this client" in page and 'value="My Typing"' in page
    assert "Saved Elsewhere" in page  # the current details beside the typing
    assert VERSION_RE.search(page).group(1) == str(james.version_id)
    assert james.first_name == "Saved"


def test_missing_version_counts_as_stale(staff, roster):
    token = csrf_token(staff, LIST + "/new")
    resp = staff.post(f"{profile(roster['ana'])}/edit", data={**client_form(), "csrf_token": token})
    assert resp.status_code == 409 and roster["ana"].first_name == "Ana"


def test_posts_need_a_csrf_token(staff, roster):
    assert staff.post(NEW, data=client_form()).status_code == 400
    assert staff.post(f"{profile(roster['ana'])}/photo", data={}).status_code == 400


@FUZZ
@given(data=st.data())
def test_client_forms_never_answer_5xx(staff, roster, data):
    plausible = {"first_name": ["Ann"], "last_name": ["Lee"], "date_of_birth": ["1990-02-03", "2990-02-03"],
                 "preferred_language": ["en", "es"], "part2_protected": ["y"], "email": ["a@example.org"],
                 "version_id": [str(roster["ana"].version_id)], "phone": ["5415550101"]}
    values = {
        name: data.draw(st.one_of(st.text(max_size=300), st.sampled_from(plausible.get(name, [""]))), label=name)
        for name in CLIENT_FIELDS
    }
    token = csrf_token(staff, NEW)  # one per session: the same for every form
    for url in (NEW, f"{profile(roster['ana'])}/edit", f"{profile(roster['ana'])}/photo"):
        resp = staff.post(url, data={**values, "photo": values["first_name"], "csrf_token": token})
        assert resp.status_code < 500, html(resp)


# --- photo --------------------------------------------------------------------------------------


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
