"""Template globals: the current site, permission checks for hiding buttons, static URLs."""
from __future__ import annotations

from flask import Flask
from flask_login import current_user

from .assets import static_url, stylesheet_url
from .authz import Permission, can
from .routing import id_url
from .sites import current_site


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(Permission=Permission, static_url=static_url, stylesheet_url=stylesheet_url,
                                 id_url=id_url)

    @app.context_processor
    def site_context():
        return {
            "site": current_site(),
            "can": lambda permission, obj=None: can(current_user, permission, obj),
        }
