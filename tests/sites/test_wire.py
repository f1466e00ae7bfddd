"""Bytes on the wire (P1, P2): compressed pages and static files, one stylesheet, immutable fingerprints."""
from __future__ import annotations

import gzip
import re

import brotli
import pytest
from flask import Response

from tests import factories as pf
from tests.sites.portal.helpers import portal_login

STYLESHEET_RE = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
ASSET_RE = re.compile(r'(?:href|src)="(/static/[^"]+)"')
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}
# The CSRF token carries a timestamp: two requests a second apart differ there (in the forms' hidden field and in
# the body's hx-headers) and nowhere else.
CSRF_RE = re.compile(rb'(name="csrf_token" value="|"X-CSRFToken": ")[^"]+"')


def _without_csrf(body: bytes) -> bytes:
    return CSRF_RE.sub(rb'\1"', body)


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_a_page_sent_compressed_decodes_to_the_same_page(client, encoding):
    pf.account("wire")
    assert portal_login(client, "wire").status_code == 302
    plain = client.get("/portal/")
    packed = client.get("/portal/", headers={"Accept-Encoding": f"{encoding}, identity;q=0.5"})
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    assert CSRF_RE.search(plain.data)
    assert _without_csrf(DECODE[encoding](packed.data)) == _without_csrf(plain.data)


def test_brotli_is_preferred_and_refused_encodings_are_not_used(client):
    assert client.get("/portal/login", headers={"Accept-Encoding": "gzip, deflate, br"}).content_encoding == "br"
    assert client.get("/portal/login", headers={"Accept-Encoding": "br;q=0, gzip"}).content_encoding == "gzip"
    assert client.get("/portal/login", headers={"Accept-Encoding": "deflate"}).content_encoding is None


def test_small_bodies_go_out_plain(client):
    resp = client.get("/healthz", headers={"Accept-Encoding": "gzip, br"})
    assert resp.status_code == 200 and resp.content_encoding is None and resp.get_json()["status"] == "ok"


def test_attachments_and_compressed_types_are_not_encoded_again(app):
    """A stored photo or PDF goes out as stored: already compressed, sent as an attachment."""
    with app.test_request_context("/", headers={"Accept-Encoding": "gzip, br"}):
        from portal_app.compression import compress_response

        photo = compress_response(Response(b"\x89PNG" + b"x" * 4000, mimetype="image/png"))
        text = Response(b"name,phone\n" * 400, mimetype="text/csv")
        text.headers["Content-Disposition"] = "attachment"
        text = compress_response(text)
    assert photo.content_encoding is None and photo.data.startswith(b"\x89PNG")
    assert text.content_encoding is None and text.data.startswith(b"name,phone")


@pytest.mark.parametrize("url", ["/portal/login", "/staff/login", "/partner/login", "/kiosk/login", "/links/", "/"])
def test_each_page_loads_one_stylesheet_and_defers_htmx(client, url):
    html = client.get(url).get_data(as_text=True)
    sheets = STYLESHEET_RE.findall(html)
    assert len(sheets) == 1, sheets
    assert re.search(r'<script src="/static/vendor/htmx/htmx\.min\.js\?v=\w+" defer>', html)


def test_the_site_stylesheet_carries_base_and_site_rules(app, client):
    """One request gives the page both the shared rules (base.css) and the site's own."""
    from pathlib import Path

    folder = Path(app.static_folder) / "css"
    sheet = STYLESHEET_RE.findall(client.get("/portal/login").get_data(as_text=True))[0]
    with client.get(sheet) as resp:
        body = resp.get_data()
    assert resp.status_code == 200 and resp.mimetype == "text/css"
    assert (folder / "base.css").read_bytes() in body and (folder / "portal.css").read_bytes() in body
    assert (folder / "staff.css").read_bytes() not in body


@pytest.mark.parametrize("which", ["stylesheet", "htmx"])
def test_fingerprinted_static_urls_are_immutable_and_revalidate(client, which):
    html = client.get("/portal/login").get_data(as_text=True)
    url = next(u for u in ASSET_RE.findall(html) if ("css" in u) == (which == "stylesheet"))
    assert "?v=" in url
    headers = {"Accept-Encoding": "br, gzip"}
    with client.get(url, headers=headers) as first:
        assert first.status_code == 200 and first.content_encoding == "br"
        assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        etag = first.headers["ETag"]
    with client.get(url, headers={**headers, "If-None-Match": etag}) as again:
        assert again.status_code == 304 and not again.data
    with client.get(url, headers={"If-None-Match": etag}) as plain_again:  # same file, other encoding
        assert plain_again.status_code == 304


@pytest.mark.parametrize("query", ["", "?v=0000000000"])
def test_unversioned_or_stale_static_urls_keep_a_short_max_age(client, query):
    with client.get(f"/static/css/base.css{query}") as resp:
        assert resp.status_code == 200
        assert "immutable" not in resp.headers["Cache-Control"]
        assert resp.cache_control.max_age <= 3600


def test_unknown_bundle_is_not_found(client):
    assert client.get("/static/bundle/nowhere.css").status_code == 404


def test_the_session_cookie_is_sent_again_only_when_activity_is_stamped(client, frozen_clock):
    """Within a minute of the last stamp a page leaves the session alone (no Set-Cookie); later it is renewed."""
    from datetime import timedelta

    pf.account("wire")
    assert portal_login(client, "wire").status_code == 302
    client.get("/portal/")
    frozen_clock.advance(timedelta(seconds=30))
    quiet = client.get("/portal/")
    assert quiet.status_code == 200 and "Set-Cookie" not in quiet.headers
    frozen_clock.advance(timedelta(seconds=40))
    renewed = client.get("/portal/")
    assert renewed.status_code == 200 and "cp_portal=" in renewed.headers["Set-Cookie"]


def test_the_portal_address_typed_without_slash_costs_no_extra_redirect(client):
    """`/portal` answers the home page itself (signed in) or goes straight to the sign-in page."""
    first = client.get("/portal")
    assert first.status_code == 302 and first.headers["Location"].startswith("/portal/login")
    pf.account("wire")
    assert portal_login(client, "wire").status_code == 302
    home, slashed = client.get("/portal"), client.get("/portal/")
    title = re.compile(r"<title>.*</title>")
    assert home.status_code == slashed.status_code == 200
    assert title.search(home.get_data(as_text=True)).group() == title.search(slashed.get_data(as_text=True)).group()
