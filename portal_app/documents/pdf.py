"""PDF/A rendering with WeasyPrint that loads only Caseport's own assets (S12).

A Jinja template is rendered to HTML and handed to WeasyPrint with no base URL and a fetcher that
serves `caseport-static:<path>` from the app's static folder (fonts, CSS, logo) and `caseport-inline:<name>`
from bytes the caller passed (a drawn signature), and refuses everything else: `file://`, `http(s)://`,
`data:`, relative paths. Answers reach the template as text (autoescaped), and even raw markup naming
other URLs fetches nothing.
"""
from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


from flask import current_app
from flask_babel import force_locale
from PIL import ImageFile

_TRUNCATED = ImageFile.LOAD_TRUNCATED_IMAGES
from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

# WeasyPrint switches on Pillow's process-wide "load truncated images" when imported; photo uploads
# (portal_app/clients/photos.py) rely on truncated files being refused, so it goes back as it was.
ImageFile.LOAD_TRUNCATED_IMAGES = _TRUNCATED

PDF_VARIANT = "pdf/a-3b"
STATIC_SCHEME = "caseport-static:"
INLINE_SCHEME = "caseport-inline:"
STATIC_TYPES = frozenset({".css", ".woff", ".woff2", ".ttf", ".otf", ".png", ".jpg", ".jpeg", ".svg"})
DOCUMENT_TEMPLATE = "pdf/document.html"

log = logging.getLogger(__name__)


class RefusedURL(ValueError):
    """A URL the renderer will not load (WeasyPrint catches it, logs it and renders without the resource)."""


class StaticAssetFetcher(URLFetcher):
    """Serve Caseport's own static assets and the caller's inline bytes; refuse every other URL."""

    def __init__(self, static_folder: str | Path, inline: Mapping[str, tuple[bytes, str]] | None = None) -> None:
        super().__init__(allowed_protocols=())  # the parent's network and file handlers are never reached
        self.root = Path(static_folder).resolve()
        self.inline = dict(inline or {})
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):  # noqa: ARG002  (the same signature as URLFetcher.fetch)
        url = str(url)
        if url.startswith(STATIC_SCHEME):
            path = (self.root / url.removeprefix(STATIC_SCHEME).lstrip("/")).resolve()
            if path.is_relative_to(self.root) and path.suffix.lower() in STATIC_TYPES and path.is_file():
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return self._served(url, path.read_bytes(), content_type)
        elif url.startswith(INLINE_SCHEME) and url.removeprefix(INLINE_SCHEME) in self.inline:
            data, content_type = self.inline[url.removeprefix(INLINE_SCHEME)]
            return self._served(url, data, content_type)
        self.refused.append(url[:200])
        log.warning("PDF rendering refused to load %s", url[:80])
        raise RefusedURL(f"not one of Caseport's own assets: {url[:80]}")

    def _served(self, url: str, data: bytes, content_type: str) -> URLFetcherResponse:
        self.served.append(url)
        return URLFetcherResponse(url, data, {"Content-Type": content_type})


def html_to_pdf(html: str, *, inline: Mapping[str, tuple[bytes, str]] | None = None,
                fetcher: StaticAssetFetcher | None = None) -> bytes:
    """PDF/A bytes of `html`, with only our own assets loaded (no base URL: relative references go nowhere)."""
    fetcher = fetcher or StaticAssetFetcher(current_app.static_folder, inline)
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its own sRGB profile for the PDF/A output intent and never closes it.
        warnings.filterwarnings("ignore", message=r".*sRGB2014\.icc", category=ResourceWarning)
        return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf(pdf_variant=PDF_VARIANT)


def render_pdf(template: str, context: Mapping[str, Any], *, language: str = "en",
               inline: Mapping[str, tuple[bytes, str]] | None = None) -> bytes:
    """Render the Jinja `template` with `context` in `language`, then to PDF/A.

    Templates see only `context` (no request, no site context processors): workers render too.
    """
    with force_locale(language):
        html = current_app.jinja_env.get_template(template).render(context)
    return html_to_pdf(html, inline=inline)


def content_sha256(payload: Any) -> str:
    """SHA-256 of the signed content: canonical JSON (sorted keys, no spaces, UTF-8) of what was signed."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- the generic signed-document layout ---------------------------------------------------------------

@dataclass(frozen=True)
class PdfItem:
    """One line of the form: a heading, a piece of static text, or a question with its answer."""

    label: str
    answer: str | None = None  # None for headings and static text
    kind: str = "answer"  # "heading" | "text" | "answer"
    help: str = ""


@dataclass(frozen=True)
class PdfSignature:
    """A signature as the PDF prints it: 'Ana Delgado, mother, for Sam Delgado'."""

    signer: str
    capacity: str  # "client", "mother", "case manager" ...
    signed_at: datetime  # aware UTC (or naive UTC); printed in the agency's time zone
    method: str  # "typed name on the client portal" ...
    on_behalf_of: str = ""
    mark: str = ""  # the typed name as signed; or an inline image name (caseport-inline:) when drawn
    mark_image: str = ""


@dataclass(frozen=True)
class PdfAuditRow:
    """One event of the signature certificate page."""

    at: datetime
    action: str  # created, sent, viewed, signed ...
    actor: str
    address: str = ""


@dataclass(frozen=True)
class PdfDocument:
    """Everything the generic layout prints; the documents domain fills it from its records."""

    agency_name: str
    client_name: str
    title: str
    version: str
    verification_code: str
    content_sha256: str
    items: list[PdfItem] = field(default_factory=list)
    signatures: list[PdfSignature] = field(default_factory=list)
    audit: list[PdfAuditRow] = field(default_factory=list)
    agency_lines: list[str] = field(default_factory=list)  # address, phone
    client_details: list[str] = field(default_factory=list)  # date of birth ...
    document_ref: str = ""  # the document's own id or number, printed on the certificate page
    language: str = "en"
    notes: list[str] = field(default_factory=list)  # e.g. "signed on paper: scanned copy on file"


def verify_url() -> str:
    """The public verify page's address, printed on every PDF (no request needed: workers render too)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/links/verify"


def render_document(document: PdfDocument, *, inline: Mapping[str, tuple[bytes, str]] | None = None) -> bytes:
    """The generic layout as PDF/A: header, client, questions and answers, signatures, certificate page."""
    context = {"doc": document, "time_zone": current_app.config["TIME_ZONE"], "verify_url": verify_url()}
    return render_pdf(DOCUMENT_TEMPLATE, context, language=document.language, inline=inline)
