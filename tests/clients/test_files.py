"""Stored files: deduplication by hash, generated names outside static/, bytes read back intact."""
import hashlib
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from portal_app.extensions import db
from portal_app.files import (
    LocalStorage,
    StoredFile,
    StoredFileMissing,
    get_storage,
    read_bytes,
    store_bytes,
)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(StoredFile))


def test_store_and_read_back():
    data = b"%PDF-1.7 a small test document"
    stored = store_bytes(data, "application/pdf", "C:\\Users\\me\\plan.pdf")
    assert stored.id is not None  # flushed
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert stored.original_name == "plan.pdf"  # no client-side folders kept
    assert read_bytes(stored) == data


def test_same_content_is_stored_once():
    before = _count()
    first = store_bytes(b"same bytes", "text/plain", "a.txt")
    second = store_bytes(b"same bytes", "text/plain", "b.txt")
    assert first.id == second.id
    assert _count() == before + 1
    assert store_bytes(b"other bytes", "text/plain", "a.txt").id != first.id


def test_generated_sharded_name_outside_static():
    stored = store_bytes(b"where does it go", "text/plain", "../../static/evil.html")
    path = get_storage().path_for(stored.sha256)
    root = Path(current_app.config["FILES_DIR"]).resolve()
    assert path == root / stored.sha256[:2] / stored.sha256[2:4] / stored.sha256
    assert path.read_bytes() == b"where does it go"
    assert not path.is_relative_to(Path(current_app.static_folder).resolve())
    assert "evil" not in str(path)


def test_storage_refuses_static_folder_and_odd_keys(tmp_path):
    with pytest.raises(RuntimeError):
        LocalStorage(Path(current_app.static_folder) / "files", current_app.static_folder)
    with pytest.raises(ValueError):
        LocalStorage(tmp_path).path_for("../../etc/passwd")


def test_damaged_or_missing_bytes_are_reported():
    stored = store_bytes(b"will be damaged", "text/plain", "x.txt")
    path = get_storage().path_for(stored.sha256)
    path.write_bytes(b"tampered")
    with pytest.raises(StoredFileMissing):
        read_bytes(stored)
    path.unlink()
    with pytest.raises(StoredFileMissing):
        read_bytes(stored)
    # Storing the same content again puts the bytes back.
    assert store_bytes(b"will be damaged", "text/plain", "x.txt").id == stored.id
    assert read_bytes(stored) == b"will be damaged"
