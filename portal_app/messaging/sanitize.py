"""Rich-text message bodies (S9): an nh3 allowlist of plain formatting, nothing executable."""
from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ol", "ul", "li"}
MAX_BODY = 20_000


def sanitize_message(body: str) -> str:
    """Keep bold, italic, lists and paragraphs; drop every attribute (no on*, style, href, hx-*)."""
    cleaned = nh3.clean(body or "", tags=ALLOWED_TAGS, attributes={}, url_schemes=set(), strip_comments=True,
                        link_rel=None)
    return cleaned.strip()


def plain_to_html(text: str) -> str:
    """A plain-text body (the composer without JavaScript): blank lines make paragraphs, newlines <br>."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


def to_safe_html(body: str, *, rich: bool) -> str:
    """The stored form of a composed body: rich HTML sanitized, or plain text turned into paragraphs."""
    return sanitize_message(body if rich else plain_to_html(body))


def has_text(body_html: str) -> bool:
    """Whether a sanitized body says anything (not only empty tags or spaces)."""
    return bool(re.sub(r"<[^>]*>|&nbsp;|\s", "", body_html))
