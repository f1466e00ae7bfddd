"""Compressed responses (P1): brotli or gzip, as the client accepts, for HTML and static text files.

The app compresses by itself so `make run` behind no proxy is as light as production. Small bodies,
already-compressed types, attachments and streamed responses go out as they are. Static files are
compressed once per file version and kept in memory; pages are compressed per response
at a fast level.
"""
from __future__ import annotations

import gzip
from pathlib import Path

import brotli
from flask import Flask, current_app, request

MIN_SIZE = 512  # below this, the headers cost more than the bytes saved
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
# encoding -> (quality for pages, quality for static files kept in memory). Brotli's top qualities
# save about 1 KB on htmx but take a third of a second on the first request, holding up the page's
# other assets: quality 6 is within 7 % of the best for a tenth of the time.
LEVELS = {"br": (5, 6), "gzip": (6, 9)}


def _compress(data: bytes, encoding: str, level: int) -> bytes:
    if encoding == "br":
        return brotli.compress(data, quality=level)
    return gzip.compress(data, compresslevel=level, mtime=0)


def chosen_encoding() -> str | None:
    """brotli if the client takes it, else gzip, else nothing (Accept-Encoding qualities respected)."""
    accepted = request.accept_encodings
    for encoding in ("br", "gzip"):
        if accepted[encoding] > 0:
            return encoding
    return None


class StaticCompressionCache:
    """Compressed bodies of static files and bundles, keyed by (file, version, encoding)."""

    def __init__(self) -> None:
        self._bodies: dict[tuple[str, str, str], bytes] = {}

    def get(self, filename: str, version: str, encoding: str, read) -> bytes:
        key = (filename, version, encoding)
        if key not in self._bodies:
            self._bodies[key] = _compress(read(), encoding, LEVELS[encoding][1])
        return self._bodies[key]


def _static_source(filename: str):
    """(version, reader) of a static file or bundle; None when it does not exist."""
    from .assets import BUNDLE_PREFIX, _cache

    cache = _cache()
    if filename.startswith(BUNDLE_PREFIX):
        found = cache.bundle(filename)
        return (found[1], lambda: found[0]) if found else None
    version = cache.version(filename)
    path = Path(current_app.static_folder) / filename
    return (version, path.read_bytes) if version else None


def _compressible(response) -> bool:
    mimetype = response.mimetype or ""
    return mimetype.startswith(TEXT_TYPES)


def compress_response(response):
    """Encode the body for the client when it is text, large enough and not already encoded."""
    if not _compressible(response) or "Content-Encoding" in response.headers:
        return response
    response.vary.add("Accept-Encoding")
    if response.status_code != 200 and not 400 <= response.status_code < 600:
        return response  # 304, 206 ranges, redirects: nothing to encode
    if request.method == "HEAD" or "attachment" in response.headers.get("Content-Disposition", ""):
        return response
    encoding = chosen_encoding()
    if encoding is None:
        return response
    if request.endpoint == "static":
        filename = (request.view_args or {}).get("filename", "")
        source = _static_source(filename)
        if source is None or (response.content_length or 0) < MIN_SIZE:
            return response
        version, read = source
        body = current_app.extensions["caseport_compression"].get(filename, version, encoding, read)
        if response.direct_passthrough and hasattr(response.response, "close"):
            response.response.close()  # the file send_file opened: we answer from memory instead
        response.direct_passthrough = False
    elif response.is_streamed or response.direct_passthrough:
        return response
    else:
        data = response.get_data()
        if len(data) < MIN_SIZE:
            return response
        body = _compress(data, encoding, LEVELS[encoding][0])
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)  # same content, another encoding (as nginx does)
    return response


def init_app(app: Flask) -> None:
    app.extensions["caseport_compression"] = StaticCompressionCache()
    app.after_request(compress_response)
