"""Where stored bytes live (uploads, photos, sealed PDFs): one interface, two backends, chosen by configuration.

`STORAGE_BACKEND`:
* `local` (default): a folder on this server (`FILES_DIR`, default `instance/files`), one file per content.
* `database`: a table of blobs in the application's own database (PostgreSQL or SQLite), for deployments
  with several application servers that share the database but no folder.

Keys are the SHA-256 hex digest of the content, computed on `put`: storing the same bytes twice keeps
them once, and every read is checked against its key. Records are retained: there is no delete.
"""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app
from sqlalchemy import LargeBinary, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .clock import utcnow
from .db_types import UTCDateTime
from .extensions import db

BACKENDS = ("local", "database")
_HEX = frozenset("0123456789abcdef")


class StoredFileMissing(Exception):
    """Storage has no (intact) bytes under this key."""


class Storage(Protocol):
    """Content-addressed bytes: `put` answers the key (the SHA-256 of the content)."""

    def put(self, data: bytes, content_type: str) -> str: ...

    def get(self, key: str) -> bytes: ...

    def open(self, key: str) -> BinaryIO: ...

    def exists(self, key: str) -> bool: ...


def content_key(data: bytes) -> str:
    """The key of `data`: its SHA-256 hex digest."""
    return hashlib.sha256(data).hexdigest()


def check_key(key: str) -> str:
    """Refuse anything but a SHA-256 hex digest (no paths, no wildcards)."""
    if not isinstance(key, str) or len(key) != 64 or not set(key) <= _HEX:
        raise ValueError("storage keys are SHA-256 hex digests")
    return key


def _checked(key: str, data: bytes) -> bytes:
    if content_key(data) != key:
        raise StoredFileMissing(f"{key} is damaged in storage")
    return data


class LocalStorage:
    """A folder on this server: `<root>/ab/cd/abcd...` (generated names only, never under static/)."""

    def __init__(self, root: str | os.PathLike, static_folder: str | os.PathLike | None = None) -> None:
        self.root = Path(root).resolve()
        if static_folder is not None and self.root.is_relative_to(Path(static_folder).resolve()):
            raise RuntimeError("FILES_DIR must not be inside the static folder")

    def path_for(self, key: str) -> Path:
        check_key(key)
        return self.root / key[:2] / key[2:4] / key

    def put(self, data: bytes, content_type: str) -> str:
        """Write the bytes once (write then rename, so a reader never sees half a file); the type is not kept
        here: the caller's record holds it."""
        key = content_key(data)
        path = self.path_for(key)
        if path.is_file() and path.stat().st_size == len(data):
            return key  # same hash, same bytes
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return key

    def get(self, key: str) -> bytes:
        try:
            return _checked(key, self.path_for(key).read_bytes())
        except FileNotFoundError as err:
            raise StoredFileMissing(key) from err

    def open(self, key: str) -> BinaryIO:
        return io.BytesIO(self.get(key))  # checked whole: a stream must not hand out damaged bytes

    def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()


class StorageBlob(db.Model):
    """Bytes kept in the database (STORAGE_BACKEND=database), by the SHA-256 of their content."""

    __tablename__ = "storage_blob"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<StorageBlob {self.key[:12]} {self.content_type} {self.size}>"


class DatabaseStorage:
    """Bytes in the `storage_blob` table, written in the request's own transaction (flushed, never committed):
    if the request rolls back, the bytes go with the rows that referred to them."""

    def put(self, data: bytes, content_type: str) -> str:
        key = content_key(data)
        if self.exists(key):
            return key
        try:
            with db.session.begin_nested():
                db.session.add(StorageBlob(key=key, content_type=content_type[:100], size=len(data), data=data))
        except IntegrityError:  # a concurrent request stored the same content first
            pass
        return key

    def get(self, key: str) -> bytes:
        data = db.session.scalar(select(StorageBlob.data).where(StorageBlob.key == check_key(key)))
        if data is None:
            raise StoredFileMissing(key)
        return _checked(key, bytes(data))

    def open(self, key: str) -> BinaryIO:
        return io.BytesIO(self.get(key))

    def exists(self, key: str) -> bool:
        return db.session.scalar(select(StorageBlob.key).where(StorageBlob.key == check_key(key))) is not None


def backend_name(config) -> str:
    """The configured backend's name; ValueError names the choices."""
    name = (config.get("STORAGE_BACKEND") or "local").strip().lower()
    if name not in BACKENDS:
        raise ValueError(f"STORAGE_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}")
    return name


def get_storage() -> Storage:
    """The configured storage backend."""
    if backend_name(current_app.config) == "database":
        return DatabaseStorage()
    return LocalStorage(current_app.config["FILES_DIR"], current_app.static_folder)
