"""Programs: Account Administration > Programs (administrators) and the directory search (all staff)."""
from __future__ import annotations

from flask import render_template, request

from forms.programs import DirectorySearchForm
from portal_app.authz import Permission, requires
from portal_app.programs.search import DirectoryQuery, UnknownZip, search_directory

from .. import _programs
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
    form = DirectorySearchForm(request.args)
    result, status = None, 200
    if request.args and form.validate():
        try:
            result = search_directory(DirectoryQuery(form.zip.data, miles=float(form.miles.data or 25),
                                                     category=form.category.data or None,
                                                     language=form.language.data or None,
                                                     accepting_only=form.accepting.data,
                                                     page=request.args.get("page", 1)))
        except UnknownZip:
            form.zip.errors = [*form.zip.errors, "We do not know this ZIP code; check it, like 97401."]
    if form.errors:
        status = 422
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "staff/_partials/directory_results.html" if fragment else "staff/directory/search.html"
    response = render_template(template, form=form, result=result), status
    return response[0], response[1], {"Vary": "HX-Request"}
