"""The storage interface on both backends (local folder, database blobs), on SQLite and PostgreSQL alike."""
from __future__ import annotations

import hashlib

import pytest
from flask import current_app
from sqlalchemy import func, select

from config import ConfigError
from portal_app.extensions import db
from portal_app.files import read_bytes, store_bytes
from portal_app.storage import (
    DatabaseStorage,
    LocalStorage,
    StorageBlob,
    StoredFileMissing,
    get_storage,
)
from tests.test_i18n import spanish  # noqa: F401  (production refuses to start without it)

BACKENDS = ("local", "database")


@pytest.fixture(params=BACKENDS)
def backend(request, app):
    """Each test runs once per backend, chosen the way a deployment chooses it (STORAGE_BACKEND)."""
    before = app.config["STORAGE_BACKEND"]
    app.config["STORAGE_BACKEND"] = request.param
    yield request.param
    app.config["STORAGE_BACKEND"] = before


def _damage(backend: str, key: str, data: bytes) -> None:
    """Change the stored bytes behind the application's back."""
    if backend == "local":
        get_storage().path_for(key).write_bytes(data)
    else:
        db.session.execute(StorageBlob.__table__.update().where(StorageBlob.key == key).values(data=data))


def test_the_configured_backend_is_used(backend):
    assert isinstance(get_storage(), LocalStorage if backend == "local" else DatabaseStorage)


def test_put_answers_the_sha256_and_get_returns_the_bytes(backend):
    data = b"%PDF-1.7 a sealed document \x00\xff" * 100
    key = get_storage().put(data, "application/pdf")
    assert key == hashlib.sha256(data).hexdigest()
    assert get_storage().exists(key)
    assert get_storage().get(key) == data
    with get_storage().open(key) as stream:
        assert stream.read() == data


def test_the_same_bytes_are_kept_once(backend):
    storage = get_storage()
    first = storage.put(b"same bytes", "text/plain")
    assert storage.put(b"same bytes", "application/octet-stream") == first
    if backend == "database":
        assert db.session.scalar(select(func.count()).select_from(StorageBlob).where(StorageBlob.key == first)) == 1
        blob = db.session.get(StorageBlob, first)
        assert (blob.content_type, blob.size) == ("text/plain", len(b"same bytes"))


def test_missing_and_damaged_bytes_are_reported(backend):
    storage = get_storage()
    unknown = hashlib.sha256(b"never stored").hexdigest()
    assert not storage.exists(unknown)
    with pytest.raises(StoredFileMissing):
        storage.get(unknown)
    key = storage.put(b"will be damaged", "text/plain")
    _damage(backend, key, b"tampered")
    with pytest.raises(StoredFileMissing):
        storage.get(key)
    with pytest.raises(StoredFileMissing):
        storage.open(key)


@pytest.mark.parametrize("key", ["../../etc/passwd", "A" * 64, "", "0" * 63, "0" * 64 + "/x", None])
def test_keys_are_sha256_digests_only(backend, key):
    with pytest.raises(ValueError):
        get_storage().get(key)


def test_there_is_no_delete(backend):
    """Records are retained (ES-RETAIN): the interface offers no way to remove bytes."""
    assert not any(hasattr(get_storage(), name) for name in ("delete", "remove", "unlink"))


def test_uploads_go_through_the_configured_backend(backend, tmp_path):
    """Client photos and other uploads (portal_app/files.py) are stored through the same interface."""
    stored = store_bytes(b"\x89PNG a photo", "image/png", "me.png")
    assert read_bytes(stored) == b"\x89PNG a photo"
    in_database = db.session.get(StorageBlob, stored.sha256) is not None
    assert in_database is (backend == "database")


def test_database_blobs_leave_with_a_rolled_back_transaction(app):
    """Bytes written in a request that fails go away with its rows (one transaction per request)."""
    app.config["STORAGE_BACKEND"] = "database"
    try:
        with db.session.begin_nested() as savepoint:
            key = get_storage().put(b"rolled back", "text/plain")
            assert get_storage().exists(key)
            savepoint.rollback()
        assert not get_storage().exists(key)
    finally:
        app.config["STORAGE_BACKEND"] = "local"


@pytest.mark.usefixtures("spanish")
def test_an_unknown_backend_is_refused(app, monkeypatch):
    app.config["STORAGE_BACKEND"] = "s3"
    try:
        with pytest.raises(ValueError, match="STORAGE_BACKEND must be one of local, database"):
            get_storage()
    finally:
        app.config["STORAGE_BACKEND"] = "local"
    from tests.test_config import production

    with pytest.raises(ConfigError, match="STORAGE_BACKEND"):
        production(monkeypatch, STORAGE_BACKEND="ftp")
    assert production(monkeypatch, STORAGE_BACKEND="database").config["STORAGE_BACKEND"] == "database"


def test_local_files_stay_outside_static(app):
    with pytest.raises(RuntimeError):
        LocalStorage(current_app.static_folder + "/files", current_app.static_folder)
