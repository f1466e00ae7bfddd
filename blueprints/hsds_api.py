"""The public, read-only HSDS 3.0 API (/api/hsds): program data only, never client data."""
from flask import Blueprint, jsonify, request

from portal_app.authz import public
from portal_app.programs.api import BadParameter, service_at_locations_page, services_page

bp = Blueprint("hsds_api", __name__, url_prefix="/api/hsds")


@bp.get("/services")
@public
def services():
    """A page of services (one-to-one fields), as the HSDS API defines it."""
    return jsonify(services_page(request.args))


@bp.get("/service_at_locations")
@public
def service_at_locations():
    """A page of services at locations, nearest first when ?postcode= (and ?proximity= meters) are given."""
    try:
        return jsonify(service_at_locations_page(request.args))
    except BadParameter as err:
        return jsonify({"error": str(err)}), 400
