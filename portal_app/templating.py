"""Template globals: the current site, permission checks for hiding buttons, static URLs."""
from __future__ import annotations

from flask import Flask
from flask_login import current_user

from .assets import static_url, stylesheet_url
from .authz import Permission, can
from .clients.roles import care_team_role
from .portal_access.naming import access_person, portal_person
from .portal_access.relationships import relationship_name
from .routing import id_url
from .sites import current_site


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(Permission=Permission, static_url=static_url, stylesheet_url=stylesheet_url,
                                 id_url=id_url)
    app.add_template_filter(portal_person, "portal_person")  # staff name portal people by who they are to the client
    app.add_template_filter(access_person, "access_person")
    app.add_template_filter(relationship_name, "relationship")  # "mother" reads "madre" on a Spanish page
    app.add_template_filter(care_team_role, "care_team_role")

    @app.context_processor
    def site_context():
        actor = current_user._get_current_object()  # once per render, not through the proxy at every check
        return {
            "site": current_site(),
            "can": lambda permission, obj=None: can(actor, permission, obj),
        }
