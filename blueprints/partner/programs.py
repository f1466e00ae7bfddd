"""Programs on the partner site: the organization's own programs, their capacity and locations."""
from __future__ import annotations

from portal_app.authz import Permission, requires

from .. import _programs
from . import bp


@bp.get("/programs")
@requires(Permission.PARTNER_PROGRAMS)
def programs():
    """The organization's programs, with their capacity."""
    return _programs.list_page("partner")


@bp.route("/programs/new", methods=["GET", "POST"])
@requires(Permission.PARTNER_PROGRAMS)
def program_new():
    """Add a program of the organization."""
    return _programs.new_page("partner")


@bp.route("/programs/<int:program_id>", methods=["GET", "POST"])
@requires(Permission.PARTNER_PROGRAMS)
def program_edit(program_id: int):
    """Edit a program, its capacity and locations."""
    return _programs.edit_page("partner", program_id)


@bp.post("/programs/<int:program_id>/locations")
@requires(Permission.PARTNER_PROGRAMS)
def program_location_add(program_id: int):
    """Add a location to a program."""
    return _programs.location_add("partner", program_id)


@bp.post("/programs/<int:program_id>/locations/<int:location_id>/remove")
@requires(Permission.PARTNER_PROGRAMS)
def program_location_remove(program_id: int, location_id: int):
    """Take a location off a program."""
    return _programs.location_remove("partner", program_id, location_id)


@bp.post("/programs/<int:program_id>/claimers")
@requires(Permission.PARTNER_PROGRAMS)
def program_claimers(program_id: int):
    """Choose a program's claimers."""
    return _programs.claimers("partner", program_id)
