"""Programs: Account Administration > Programs (administrators) and the directory search (all staff)."""
from __future__ import annotations

from flask import request

from portal_app.authz import Permission, requires

from .. import _programs
from .._directory import run_search, search_response
from . import bp


@bp.get("/admin/programs")
@requires(Permission.ADMIN_PROGRAMS)
def admin_programs():
    """The programs of the agency and of the partner organizations it manages."""
    return _programs.list_page("staff")


@bp.route("/admin/programs/new", methods=["GET", "POST"])
@requires(Permission.ADMIN_PROGRAMS)
def admin_program_new():
    """Add a program."""
    return _programs.new_page("staff")


@bp.route("/admin/programs/<int:program_id>", methods=["GET", "POST"])
@requires(Permission.ADMIN_PROGRAMS)
def admin_program_edit(program_id: int):
    """Edit a program, its capacity and locations."""
    return _programs.edit_page("staff", program_id)


@bp.post("/admin/programs/<int:program_id>/locations")
@requires(Permission.ADMIN_PROGRAMS)
def admin_program_location_add(program_id: int):
    """Add a location to a program."""
    return _programs.location_add("staff", program_id)


@bp.post("/admin/programs/<int:program_id>/locations/<int:location_id>/remove")
@requires(Permission.ADMIN_PROGRAMS)
def admin_program_location_remove(program_id: int, location_id: int):
    """Take a location off a program."""
    return _programs.location_remove("staff", program_id, location_id)


@bp.post("/admin/programs/<int:program_id>/claimers")
@requires(Permission.ADMIN_PROGRAMS)
def admin_program_claimers(program_id: int):
    """Choose a program's claimers."""
    return _programs.claimers("staff", program_id)


@bp.get("/directory")
@requires(Permission.STAFF_DIRECTORY)
def directory():
    """Programs near a ZIP code: capacity first, then distance (htmx: the results only)."""
    form, result = run_search(request.args, run=bool(request.args))
    return search_response("staff/directory/search.html", 422 if form.errors else 200, form=form, result=result)
