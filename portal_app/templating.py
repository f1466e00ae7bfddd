"""Template globals: the current site, permission checks for hiding buttons, static URLs."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, url_for
from flask_login import current_user

from .authz import Permission, can
from .sites import current_site


@lru_cache(maxsize=256)
def _file_version(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def static_url(filename: str) -> str:
    """A static file URL with a content hash, so browsers may cache it for a week."""
    path = Path(current_app.static_folder) / filename
    try:
        version = _file_version(str(path), path.stat().st_mtime)
    except FileNotFoundError:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=version)


def init_app(app: Flask) -> None:
    @app.context_processor
    def site_context():
        return {
            "site": current_site(),
            "can": lambda permission, obj=None: can(current_user, permission, obj),
            "Permission": Permission,
            "static_url": static_url,
        }
