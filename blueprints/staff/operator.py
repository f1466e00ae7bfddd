"""The Operator area (deployment operators only): agencies, their licence seats and first administrator.

The operator sees no client data and no agency's staff pages: every other staff permission is
refused to its role (ROLE_GRANTS), and its home page sends it here.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from forms.staff.operator import AgencyCreateForm, AgencyRenameForm, AgencySeatsForm
from portal_app.accounts import administration as admin
from portal_app.accounts import operator
from portal_app.authz import Permission, requires

from .._common import current_actor as _actor
from .._common import place_refusal, savepoint
from . import bp


def _form_page(template: str, form, status: int | None = None, **context):
    status = status or (422 if form.is_submitted() else 200)
    return render_template(f"staff/operator/{template}", form=form, **context), status


@bp.get("/operator/agencies")
@requires(Permission.OPERATOR_AGENCIES)
def operator_agencies():
    """Agencies: name, licence seats in use and granted, administrators."""
    return render_template("staff/operator/agencies.html", rows=operator.list_agencies(_actor()))


@bp.route("/operator/agencies/new", methods=["GET", "POST"])
@requires(Permission.OPERATOR_AGENCIES)
def operator_agency_new():
    """Create an agency with its licence seats and its first administrator."""
    form = AgencyCreateForm()
    if not form.is_submitted():
        form.licence_seats.data = operator.seats_total_default()
    if not form.validate_on_submit():
        return _form_page("agency_new.html", form)
    try:
        with savepoint():
            agency, first_admin = operator.create_agency(_actor(), **form.agency_data())
    except admin.AdministrationError as err:
        error = place_refusal(err, form)
        return _form_page("agency_new.html", form, err.status, error=error)
    flash(f"The agency \u201c{agency.name}\u201d was created; {first_admin.email} can sign in.", "success")
    return redirect(url_for("staff.operator_agencies"))


@bp.route("/operator/agencies/<int:agency_id>", methods=["GET", "POST"])
@requires(Permission.OPERATOR_AGENCIES)
def operator_agency_seats(agency_id: int):
    """Set an agency's licence seats (409 if someone saved it meanwhile)."""
    agency = operator.get_agency_for(_actor(), agency_id)
    form = AgencySeatsForm(obj=agency)
    if not form.is_submitted() and agency.licence_seats is None:
        form.licence_seats.data = operator.seats_total_default()
    if not form.validate_on_submit():
        return _form_page("agency_seats.html", form, agency=agency)
    try:
        with savepoint():
            operator.set_licence_seats(_actor(), agency, form.expected_version(), form.licence_seats.data)
    except admin.AdministrationError as err:
        error = place_refusal(err, form)
        return _form_page("agency_seats.html", form, err.status, agency=agency, error=error)
    flash(f"The licence seats of \u201c{agency.name}\u201d were saved.", "success")
    return redirect(url_for("staff.operator_agencies"))


@bp.route("/operator/agencies/<int:agency_id>/name", methods=["GET", "POST"])
@requires(Permission.OPERATOR_AGENCIES)
def operator_agency_rename(agency_id: int):
    """Rename an agency: required, unique, at most 120 characters (409 if someone saved it meanwhile)."""
    agency = operator.get_agency_for(_actor(), agency_id)
    form = AgencyRenameForm(obj=agency)
    if not form.validate_on_submit():
        return _form_page("agency_rename.html", form, agency=agency)
    try:
        with savepoint():
            operator.rename_agency(_actor(), agency, form.expected_version(), form.name.data)
    except admin.AdministrationError as err:
        error = place_refusal(err, form)
        return _form_page("agency_rename.html", form, err.status, agency=agency, error=error)
    flash(f"The agency is now called \u201c{agency.name}\u201d.", "success")
    return redirect(url_for("staff.operator_agency_seats", agency_id=agency.id))


@bp.post("/operator/agencies/<int:agency_id>/access")
@requires(Permission.OPERATOR_AGENCIES)
def operator_agency_access(agency_id: int):
    """Disable an agency (its staff are signed out and cannot sign in) or enable it again."""
    agency = operator.get_agency_for(_actor(), agency_id)
    choice = request.form.get("enabled")
    if choice not in ("0", "1"):
        flash("Choose whether to disable or enable the agency.", "error")
        return render_template("staff/operator/agency_seats.html", form=AgencySeatsForm(obj=agency),
                               agency=agency), 400
    operator.set_agency_enabled(_actor(), agency, choice == "1")
    state = "enabled again: its staff can sign in" if agency.enabled else "disabled: its staff are signed out"
    flash(f"\u201c{agency.name}\u201d is {state}.", "success")
    return redirect(url_for("staff.operator_agency_seats", agency_id=agency.id))
