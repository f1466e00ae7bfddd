"""Stored files (uploads, PDFs, photos): one row per distinct content, bytes behind the storage interface
(`portal_app/storage.py`: a local folder or the database, chosen by STORAGE_BACKEND) (S11)."""
from __future__ import annotations

from datetime import datetime
from pathlib import PurePath

from sqlalchemy import String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .clock import utcnow
from .db_types import UTCDateTime
from .extensions import db
from .storage import LocalStorage, Storage, StoredFileMissing, get_storage

__all__ = ["LocalStorage", "Storage", "StoredFile", "StoredFileMissing", "get_storage", "read_bytes", "store_bytes"]


class StoredFile(db.Model):
    """A file's metadata; the bytes live in storage under the SHA-256 of the content."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    original_name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<StoredFile {self.id} {self.sha256[:12]} {self.content_type}>"


def _clean_name(name: str) -> str:
    """The file's own name without any client-side folders, for display only."""
    return PurePath(name.replace("\\", "/")).name[:255] if name else ""


def store_bytes(data: bytes, content_type: str, original_name: str = "") -> StoredFile:
    """Keep `data` once per distinct content and return its row (flushes, never commits)."""
    # Bytes first: if the transaction later rolls back, an unreferenced file is harmless
    # (the next store of the same content reuses it); a row without bytes would not be.
    digest = get_storage().put(data, content_type)
    existing = db.session.scalar(select(StoredFile).where(StoredFile.sha256 == digest))
    if existing is not None:
        return existing
    stored = StoredFile(
        sha256=digest, content_type=content_type[:100], size=len(data), original_name=_clean_name(original_name)
    )
    try:
        with db.session.begin_nested():
            db.session.add(stored)
    except IntegrityError:  # a concurrent request stored the same content first
        return db.session.scalars(select(StoredFile).where(StoredFile.sha256 == digest)).one()
    return stored


def read_bytes(stored: StoredFile) -> bytes:
    """The file's bytes, checked against its hash."""
    return get_storage().get(stored.sha256)
