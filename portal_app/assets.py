"""Static files for slow phones (P1, P2): content-hashed URLs, one stylesheet per site, immutable caching.

`static_url('css/x.css')` adds `?v=<hash>`; a request whose `v` matches the file's current hash is
cached for a year (`immutable`), any other keeps the short default. Each site's pages load ONE
stylesheet, `/static/bundle/<site>.css`: base.css followed by the site's own file, joined in memory
(the CSS itself stays in static/css, one file per concern).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, url_for
from werkzeug.exceptions import NotFound

YEAR = 31536000
BUNDLE_PREFIX = "bundle/"
# site (or "public") -> the files joined into its one stylesheet, in cascade order.
BUNDLES: dict[str, tuple[str, ...]] = {
    "public": ("css/base.css",),
    "staff": ("css/base.css", "css/staff.css"),
    "partner": ("css/base.css", "css/partner.css"),
    "portal": ("css/base.css", "css/portal.css"),
    "links": ("css/base.css", "css/portal.css"),
    "kiosk": ("css/base.css", "css/kiosk.css"),
}


class AssetCache:
    """File hashes and bundle bodies, computed once per process.

    With `watch` (debug or template auto-reload) a changed mtime recomputes them; otherwise the files are
    taken as fixed for the life of the process and no page pays a stat() per URL.
    """

    def __init__(self, folder: str, watch: bool = False) -> None:
        self.folder = Path(folder)
        self.watch = watch
        self._versions: dict[str, tuple[float, str]] = {}
        self._bundles: dict[str, tuple[tuple[float, ...], bytes, str]] = {}
        self.urls: dict[tuple[str | None, str], str] = {}  # (script root, file) -> URL, when not watching

    def _mtime(self, filename: str) -> float:
        return (self.folder / filename).stat().st_mtime if self.watch else 0.0

    def version(self, filename: str) -> str | None:
        """The first 10 hex digits of the file's SHA-256 (a bundle's for `bundle/<site>.css`)."""
        if filename.startswith(BUNDLE_PREFIX):
            found = self.bundle(filename)
            return found[1] if found else None
        cached = self._versions.get(filename)
        try:
            mtime = self._mtime(filename)
            if cached is None or cached[0] != mtime:
                digest = hashlib.sha256((self.folder / filename).read_bytes()).hexdigest()[:10]
                cached = self._versions[filename] = (mtime, digest)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None
        return cached[1]

    def bundle(self, filename: str) -> tuple[bytes, str] | None:
        """The joined stylesheet `bundle/<site>.css` and its hash; None for an unknown site."""
        name = filename.removeprefix(BUNDLE_PREFIX).removesuffix(".css")
        parts = BUNDLES.get(name)
        if parts is None or not filename.endswith(".css"):
            return None
        mtimes = tuple(self._mtime(part) for part in parts)
        cached = self._bundles.get(name)
        if cached is None or cached[0] != mtimes:
            body = b"\n".join((self.folder / part).read_bytes() for part in parts)
            cached = self._bundles[name] = (mtimes, body, hashlib.sha256(body).hexdigest()[:10])
        return cached[1], cached[2]


def _cache() -> AssetCache:
    return current_app.extensions["caseport_assets"]


def static_url(filename: str) -> str:
    """A static file URL carrying its content hash, so the browser may keep it for a year. Files taken as
    fixed (not watching) keep their URL for the process: url_for cost 30-50 us a call, a few calls a page."""
    cache = _cache()
    key = (request.script_root if has_request_context() else None, filename)
    url = None if cache.watch else cache.urls.get(key)
    if url is None:
        version = cache.version(filename)
        url = url_for("static", filename=filename) if version is None else url_for("static", filename=filename,
                                                                                     v=version)
        if not cache.watch:
            cache.urls[key] = url
    return url


def stylesheet_url(site: str | None) -> str:
    """The one stylesheet of a site's pages (public pages get base.css alone)."""
    return static_url(f"{BUNDLE_PREFIX}{site if site in BUNDLES else 'public'}.css")


def _serve_static(filename: str):
    """Flask's static view, plus the in-memory bundles."""
    if not filename.startswith(BUNDLE_PREFIX):
        return current_app.send_static_file(filename)
    found = _cache().bundle(filename)
    if found is None:
        raise NotFound()
    body, version = found
    response = current_app.response_class(body, mimetype="text/css")
    response.set_etag(version)
    response.cache_control.public = True
    response.cache_control.max_age = int(current_app.get_send_file_max_age(filename) or 0)
    return response.make_conditional(request)


def cache_static(response):
    """A fingerprinted URL whose hash matches is immutable for a year; others keep the short default."""
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    wanted = request.args.get("v")
    if wanted and wanted == _cache().version(filename):
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    watch = bool(app.debug or app.config.get("TEMPLATES_AUTO_RELOAD"))
    app.extensions["caseport_assets"] = AssetCache(app.static_folder, watch=watch)
    app.view_functions["static"] = _serve_static
    app.after_request(cache_static)
