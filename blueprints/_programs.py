"""Program pages both sites serve (staff Account Administration > Programs, partner Programs): one flow.

Each site's blueprint declares its own endpoints and permission and calls these with its site name;
the policy decides which programs the actor manages (portal_app/programs/policy.py).
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from wtforms import SelectChoice
from sqlalchemy import select

from forms.fields import ConfirmForm
from forms.programs import ClaimersForm, LocationForm, ProgramForm
from portal_app.accounts.models import Organization
from portal_app.errors import DomainError
from portal_app.extensions import db
from portal_app.programs import queries, services
from portal_app.referrals.team import set_program_team_sharing
from portal_app.transactions import savepoint

from ._common import current_actor, place_refusal


def _organizations(actor) -> list[Organization]:
    return list(db.session.scalars(select(Organization).where(Organization.id.in_(queries.managed_organizations(actor)))
                                   .order_by(Organization.name)))


def _endpoint(site: str, name: str) -> str:
    return f"{site}.{'admin_' if site == 'staff' else ''}{name}"


def _page(site: str, template: str, status: int = 200, **context):
    return render_template(f"{site}/programs/{template}", endpoint=lambda name: _endpoint(site, name),
                           **context), status


def list_page(site: str):
    """The programs the actor manages, with their capacity."""
    return _page(site, "list.html", programs=queries.managed_programs(current_actor(), request.args.get("page", 1)))


def _program_form(actor, program=None, submitted: bool = True) -> ProgramForm:
    """The submitted form, or (submitted=False) one showing the program as saved."""
    form = ProgramForm() if submitted or program is None else ProgramForm(formdata=None, obj=program)
    if program is not None:
        del form.organization_id  # a program stays with its organization
        form.team_sharing.label.text = (f"Team sharing: anyone in {program.organization.name} may see, note and "
                                        "update this program's referrals")
        if not submitted:
            form.area_zips.data = " ".join(program.area_zips)
        return form
    del form.team_sharing  # switched on the program's page once it exists
    form.organization_id.choices = [SelectChoice(o.id, o.name) for o in _organizations(actor)]
    return form


def new_page(site: str):
    """Add a program to an organization the actor manages."""
    actor = current_actor()
    form = _program_form(actor, submitted=request.method == "POST")
    if request.method == "GET" and len(form.organization_id.choices) == 1:
        form.organization_id.data = form.organization_id.choices[0].value
    if not form.validate_on_submit():
        return _page(site, "form.html", 422 if form.is_submitted() else 200, form=form, program=None)
    organization = db.session.get(Organization, form.organization_id.data)
    try:
        with savepoint():
            program = services.create_program(actor, organization, capacity=form.capacity.data,
                                              capacity_note=form.capacity_note.data, **form.program_data())
    except DomainError as err:
        error = place_refusal(err, form)
        return _page(site, "form.html", err.status, form=form, program=None, error=error)
    flash(f"The program \u201c{program.name}\u201d was added. Add its locations below.", "success")
    return redirect(url_for(_endpoint(site, "program_edit"), program_id=program.id))


def edit_page(site: str, program_id: int, location_form: LocationForm | None = None, status: int = 200,
              claimers_form: ClaimersForm | None = None):
    """Edit a program, its capacity and its locations."""
    actor = current_actor()
    program = queries.get_program_for(actor, program_id)
    submitted = request.method == "POST" and location_form is None and claimers_form is None
    form = _program_form(actor, program, submitted)
    if submitted and form.validate_on_submit():
        try:
            with savepoint():
                services.update_program(actor, program, form.expected_version(), **form.program_data())
                if (form.capacity.data, form.capacity_note.data) != (program.capacity, program.capacity_note):
                    services.set_capacity(actor, program, form.capacity.data, form.capacity_note.data)
                set_program_team_sharing(actor, program, bool(form.team_sharing.data))
        except DomainError as err:
            error = place_refusal(err, form)
            return _page(site, "form.html", err.status, form=form, program=program, error=error,
                         location_form=LocationForm(formdata=None), remove_form=ConfirmForm(),
                         claimers_form=_claimers_form(program, submitted=False))
        flash("The program was saved.", "success")
        return redirect(url_for(_endpoint(site, "program_edit"), program_id=program.id))
    if submitted:
        status = 422
    return _page(site, "form.html", status, form=form, program=program,
                 location_form=location_form or LocationForm(formdata=None), remove_form=ConfirmForm(),
                 claimers_form=claimers_form or _claimers_form(program, submitted=False))


def _claimers_form(program, submitted: bool = True) -> ClaimersForm:
    form = ClaimersForm() if submitted else ClaimersForm(formdata=None, user_ids=[m.user_id for m in program.members])
    form.user_ids.choices = [SelectChoice(u.id, f"{u.display_name} ({u.email})") for u in queries.claimer_candidates(program)]
    return form


def claimers(site: str, program_id: int):
    """Choose the program's claimers among the people of its organization."""
    actor = current_actor()
    program = queries.get_program_for(actor, program_id)
    form = _claimers_form(program)
    if not form.validate_on_submit():
        return edit_page(site, program_id, status=422, claimers_form=form)
    users = [u for u in queries.claimer_candidates(program) if u.id in set(form.user_ids.data or [])]
    services.set_claimers(actor, program, users)
    flash("The claimers were saved.", "success")
    return redirect(url_for(_endpoint(site, "program_edit"), program_id=program.id))


def location_add(site: str, program_id: int):
    """Add a location (address and ZIP; the map position is the ZIP's centroid)."""
    actor = current_actor()
    program = queries.get_program_for(actor, program_id)
    location_form = LocationForm()
    if not location_form.validate_on_submit():
        return edit_page(site, program_id, location_form, 422)
    try:
        with savepoint():
            services.add_location(actor, program, **location_form.data_without_csrf())
    except DomainError as err:
        place_refusal(err, location_form)
        return edit_page(site, program_id, location_form, err.status)
    flash("The location was added.", "success")
    return redirect(url_for(_endpoint(site, "program_edit"), program_id=program.id))


def location_remove(site: str, program_id: int, location_id: int):
    """Take a location off the program."""
    actor = current_actor()
    program = queries.get_program_for(actor, program_id)
    site_row = queries.get_location_for(actor, program, location_id)
    if ConfirmForm().validate_on_submit():
        services.remove_location(actor, program, site_row)
        flash("The location was removed.", "success")
    return redirect(url_for(_endpoint(site, "program_edit"), program_id=program.id))
