"""Stored files (uploads, PDFs, photos): one row per distinct content, bytes behind a storage interface (S11).

Only the local-folder backend exists. An S3-compatible backend for multi-server
deployments implements the three methods of `Storage` and is returned by
`get_storage()`; nothing else needs to change.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import datetime
from pathlib import Path, PurePath
from typing import Protocol

from flask import current_app
from sqlalchemy import String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .clock import utcnow
from .db_types import UTCDateTime
from .extensions import db


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


class StoredFileMissing(Exception):
    """The row exists but storage has no (intact) bytes for it."""


class Storage(Protocol):
    """Where the bytes live, addressed by their SHA-256 hex digest."""

    def save(self, key: str, data: bytes) -> None: ...

    def load(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...


class LocalStorage:
    """A folder on this server: `<root>/ab/cd/abcd...` (generated names only, never under static/)."""

    def __init__(self, root: str | os.PathLike, static_folder: str | os.PathLike | None = None) -> None:
        self.root = Path(root).resolve()
        if static_folder is not None and self.root.is_relative_to(Path(static_folder).resolve()):
            raise RuntimeError("FILES_DIR must not be inside the static folder")

    def path_for(self, key: str) -> Path:
        if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError("storage keys are SHA-256 hex digests")
        return self.root / key[:2] / key[2:4] / key

    def save(self, key: str, data: bytes) -> None:
        path = self.path_for(key)
        if path.exists():
            return  # same hash, same bytes
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def load(self, key: str) -> bytes:
        try:
            return self.path_for(key).read_bytes()
        except FileNotFoundError as err:
            raise StoredFileMissing(key) from err

    def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()


def get_storage() -> Storage:
    """The configured storage backend (local folder; an S3-compatible one would be chosen here)."""
    return LocalStorage(current_app.config["FILES_DIR"], current_app.static_folder)


def _clean_name(name: str) -> str:
    """The file's own name without any client-side folders, for display only."""
    return PurePath(name.replace("\\", "/")).name[:255] if name else ""


def store_bytes(data: bytes, content_type: str, original_name: str = "") -> StoredFile:
    """Keep `data` once per distinct content and return its row (flushes, never commits)."""
    digest = hashlib.sha256(data).hexdigest()
    storage = get_storage()
    # Bytes first: if the transaction later rolls back, an unreferenced file is harmless
    # (the next store of the same content reuses it); a row without bytes would not be.
    storage.save(digest, data)
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
    data = get_storage().load(stored.sha256)
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        raise StoredFileMissing(f"{stored.sha256} is damaged in storage")
    return data
