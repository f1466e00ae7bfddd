"""Sealed files: every PDF Caseport produced and sealed, with the hashes and the short code printed on it.

The documents domain renders a `PdfDocument` through `produce_sealed_pdf` and links to the row it
returns; the verify page (/links/verify) looks files up here by the SHA-256 of their bytes or by code.
Rows are never deleted or changed (ES-INTEGRITY, ES-RETAIN).
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organization
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..extensions import db
from ..storage import get_storage

if TYPE_CHECKING:  # WeasyPrint and pyHanko load on first use, not with every app
    from .pdf import PdfDocument

# Crockford's base32: no I, L, O or U, so nothing reads as another character; 10 of them are 50 bits.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE_SHAPE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
PDF_CONTENT_TYPE = "application/pdf"


class SealedFile(db.Model):
    """A produced, sealed PDF: where its bytes are, what they hash to, and the code printed on each page."""

    __tablename__ = "sealed_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    storage_key: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    verification_code: Mapped[str] = mapped_column(String(11), unique=True)  # "ABCDE-FGHJK"
    title: Mapped[str] = mapped_column(String(255))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signer_summary: Mapped[str] = mapped_column(Text, default="")  # "Ana Delgado, mother, for Sam Delgado"
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Organization] = relationship()

    def __repr__(self) -> str:
        return f"<SealedFile {self.id} {self.verification_code}>"


def format_code(raw: str) -> str:
    return f"{raw[:5]}-{raw[5:]}"


def normalize_code(typed: str) -> str | None:
    """The code as stored, from what someone typed ("abcde fghjk", "ABCDE-FGHJK", O for 0); None if it is
    not the shape of a code."""
    raw = re.sub(r"[\s\-_.]", "", typed or "").upper().translate(_READS_AS)
    return format_code(raw) if _CODE_SHAPE.match(raw) else None


def new_verification_code() -> str:
    """A fresh random code no sealed file holds yet."""
    while True:
        code = format_code("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))
        if db.session.scalar(select(SealedFile.id).where(SealedFile.verification_code == code)) is None:
            return code


def signer_summary(document: PdfDocument) -> str:
    """Who signed, as the PDF prints it: one line per signature."""
    lines = []
    for s in document.signatures:
        line = f"{s.signer}, {s.capacity}"
        lines.append(f"{line}, for {s.on_behalf_of}" if s.on_behalf_of else line)
    return "\n".join(lines)


def record_sealed_file(agency: Organization, pdf: bytes, *, verification_code: str, content_sha256: str,
                       title: str, signed_at: datetime | None, summary: str) -> SealedFile:
    """Keep a sealed PDF's bytes in storage and its row (flushes, never commits)."""
    key = get_storage().put(pdf, PDF_CONTENT_TYPE)
    row = SealedFile(agency_id=agency.id, storage_key=key, pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                     content_sha256=content_sha256, verification_code=verification_code, title=title[:255],
                     signed_at=signed_at, signer_summary=summary, size=len(pdf))
    db.session.add(row)
    db.session.flush()
    return row


def produce_sealed_pdf(agency: Organization, document: PdfDocument,
                       inline: dict[str, tuple[bytes, str]] | None = None) -> SealedFile:
    """Render `document` (its verification code is chosen here), seal it, store it and record it.

    The slow part (rendering about 1 s for a few pages): call it from the worker for long documents (P5).
    """
    from .pdf import render_document
    from .seal import seal_pdf

    for _attempt in range(3):
        code = new_verification_code()
        doc = replace(document, verification_code=code)
        sealed = seal_pdf(render_document(doc, inline=inline), sealed_by=agency.name, verification_code=code)
        signed_at = max((s.signed_at for s in doc.signatures), default=None)
        try:
            with db.session.begin_nested():
                return record_sealed_file(agency, sealed, verification_code=code, content_sha256=doc.content_sha256,
                                          title=doc.title, signed_at=signed_at, summary=signer_summary(doc))
        except IntegrityError:  # another process took the same code between the check and the insert
            continue
    raise RuntimeError("could not find a free verification code")


def read_sealed_pdf(row: SealedFile) -> bytes:
    """The sealed PDF's bytes, checked against their hash (StoredFileMissing when absent or damaged)."""
    return get_storage().get(row.storage_key)


def find_by_pdf_sha256(digest: str) -> SealedFile | None:
    """The sealed file whose bytes hash to `digest` (any agency: whoever holds the file may check it)."""
    return db.session.scalar(select(SealedFile).where(SealedFile.pdf_sha256 == digest))


def find_by_code(code: str) -> SealedFile | None:
    """The sealed file printed with this (normalized) code."""
    return db.session.scalar(select(SealedFile).where(SealedFile.verification_code == code))


# --- checking a file someone holds (the verify page) ----------------------------------------------------

AUTHENTIC, CHANGED, UNCONFIRMED, UNKNOWN = "authentic", "changed", "unconfirmed", "unknown"
# The seal's /Reason as written in the file (pyHanko writes the hyphen as the octal escape \055).
_CODE_IN_BYTES = re.compile(rb"verification code ([0-9A-Z]{5})(?:-|\\055)([0-9A-Z]{5})")


@dataclass(frozen=True)
class Verdict:
    """The answer about one file: authentic and unchanged, changed after signing, our bytes with a seal we
    cannot confirm (the deployment's certificate changed), or not a Caseport document."""

    outcome: str
    record: SealedFile | None = None
    sealed_at: datetime | None = None
    sealed_by: str = ""
    certificate_expired: bool = False  # valid as of the time it was sealed; its certificate has expired since


def check_pdf(data: bytes) -> Verdict:
    """Whether `data` is a PDF this deployment sealed and nobody changed: the seal is valid AND the file's
    SHA-256 matches a sealed-file record."""
    from .seal import verify_seal

    record = find_by_pdf_sha256(hashlib.sha256(data).hexdigest())
    report = verify_seal(data)
    if record is not None:
        outcome = AUTHENTIC if report.valid else UNCONFIRMED
        return Verdict(outcome, record, report.signed_at, report.sealed_by,
                       certificate_expired=report.valid and report.certificate_expired)
    # Not our bytes. Does it claim to be one of ours? (the seal's statement, or, when the file no longer
    # parses, the same statement found in its raw bytes)
    claimed = report.verification_code
    if claimed is None and (match := _CODE_IN_BYTES.search(data)):
        claimed = format_code((match.group(1) + match.group(2)).decode())
    if (claimed and find_by_code(claimed) is not None) or (report.sealed and report.trusted):
        return Verdict(CHANGED)
    return Verdict(UNKNOWN)
