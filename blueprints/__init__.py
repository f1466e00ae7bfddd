"""HTTP layer: one blueprint per site, registered by the app factory."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import hsds_api, kiosk, links, partner, portal, public, staff

    for module in (public, staff, partner, portal, kiosk, links, hsds_api):
        app.register_blueprint(module.bp)
