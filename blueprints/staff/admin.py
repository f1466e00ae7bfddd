"""Account Administration (administrators only): organizations, user accounts, agency settings, licence seats."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from forms.staff.accounts import (
    AgencyModulesForm,
    OrganizationForm,
    PartnerOrganizationForm,
    UserCreateForm,
    UserEditForm,
    UserEnabledForm,
)
from portal_app.accounts import administration as admin
from portal_app.accounts import queries
from portal_app.authz import Permission, requires
from portal_app.referrals.team import set_agency_team_sharing
from portal_app.roi.services import set_sharing_requires_roi

from .._common import begin_session, place_refusal, savepoint
from .._common import current_actor as _actor
from . import bp


def _form_page(template: str, form, *, error: str | None = None, status: int | None = None, **context):
    """A form page: 200 when first shown, 422 when the input needs correcting."""
    status = status or (422 if form.is_submitted() else 200)
    return render_template(f"staff/admin/{template}", form=form, error=error, **context), status


def _refused(err: admin.AdministrationError, template: str, form, *, current=None, **context):
    """A service said no (the savepoint undid its changes): show the reason beside its field (or above the form)."""
    unplaced = place_refusal(err, form)
    if isinstance(err, admin.StaleEdit) and current is not None:
        form.version_id.data = current.version_id  # saving again now replaces the newer version
    else:
        current = None
    return _form_page(template, form, error=unplaced, status=err.status,
                      current=current, **context)


def _users_page(error: str | None = None, status: int = 200):
    agency = _actor().organization
    return render_template(
        "staff/admin/users.html", users=queries.users_for(_actor()), seats_used=queries.seats_used(agency),
        seats_total=queries.seats_total(agency), error=error,
    ), status


@bp.get("/admin/organizations")
@requires(Permission.ADMIN_ORGANIZATIONS)
def admin_organizations():
    """Organizations: the agency and the partner organizations it works with."""
    return render_template("staff/admin/organizations.html", organizations=queries.organizations_for(_actor()))


@bp.route("/admin/organizations/new", methods=["GET", "POST"])
@requires(Permission.ADMIN_ORGANIZATIONS)
def admin_organization_new():
    """Add New partner organization (or work with an existing one of the same name)."""
    form = PartnerOrganizationForm()
    if not form.validate_on_submit():
        return _form_page("organization_form.html", form, organization=None)
    try:
        with savepoint():
            org = admin.create_organization(_actor(), **form.organization_data())
    except admin.AdministrationError as err:
        return _refused(err, "organization_form.html", form, organization=None)
    flash(f"The organization \u201c{org.name}\u201d was added.", "success")
    return redirect(url_for("staff.admin_organizations"))


@bp.route("/admin/organizations/<int:org_id>", methods=["GET", "POST"])
@requires(Permission.ADMIN_ORGANIZATIONS)
def admin_organization_edit(org_id: int):
    """Edit an organization (optimistic locking: 409 if someone saved it meanwhile)."""
    org = queries.get_organization_for(_actor(), org_id)
    form = OrganizationForm(obj=org)
    if not form.validate_on_submit():
        return _form_page("organization_form.html", form, organization=org)
    try:
        with savepoint():
            admin.update_organization(_actor(), org, form.expected_version(), **form.organization_data())
    except admin.AdministrationError as err:
        return _refused(err, "organization_form.html", form, current=org, organization=org)
    flash(f"The organization \u201c{org.name}\u201d was saved.", "success")
    return redirect(url_for("staff.admin_organizations"))


@bp.get("/admin/users")
@requires(Permission.ADMIN_USERS)
def admin_users():
    """User Accounts, with the licence seats in use."""
    return _users_page()


@bp.route("/admin/users/new", methods=["GET", "POST"])
@requires(Permission.ADMIN_USERS)
def admin_user_new():
    """Add New user account."""
    form = UserCreateForm(organizations=queries.managed_organizations(_actor()))
    if not form.validate_on_submit():
        return _form_page("user_form.html", form, user=None)
    try:
        with savepoint():
            user = admin.create_user(_actor(), **form.user_data())
    except admin.AdministrationError as err:
        return _refused(err, "user_form.html", form, user=None)
    flash(f"The user account for {user.full_name} was added.", "success")
    return redirect(url_for("staff.admin_users"))


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@requires(Permission.ADMIN_USERS)
def admin_user_edit(user_id: int):
    """Edit a user account; a new password, role or disabling signs the person out everywhere."""
    user = queries.get_user_for(_actor(), user_id)
    form = UserEditForm(obj=user, organizations=queries.managed_organizations(_actor()))
    if not form.validate_on_submit():
        return _form_page("user_form.html", form, user=user)
    try:
        with savepoint():
            admin.update_user(_actor(), user, form.expected_version(), **form.user_data())
    except admin.AdministrationError as err:
        return _refused(err, "user_form.html", form, current=user, user=user)
    if user.id == current_user.id:
        begin_session(user)  # a new own password ended every session: keep this one
    flash(f"The user account for {user.full_name} was saved.", "success")
    return redirect(url_for("staff.admin_users"))


@bp.post("/admin/users/enabled")
@requires(Permission.ADMIN_USERS)
def admin_user_toggle():
    """Disable (ends every session) or enable (needs a free licence seat) an account."""
    form = UserEnabledForm()
    if not form.validate_on_submit():
        abort(400)
    user = queries.get_user_for(_actor(), form.target_id())
    try:
        with savepoint():
            admin.set_user_enabled(_actor(), user, form.wants_enabled())
    except admin.AdministrationError as err:
        return _users_page(error=str(err), status=err.status)
    state = "enabled" if user.enabled else "disabled"
    flash(f"The user account for {user.full_name} is {state}.", "success")
    return redirect(url_for("staff.admin_users"))


@bp.route("/admin/settings", methods=["GET", "POST"])
@requires(Permission.ADMIN_SETTINGS)
def admin_settings():
    """Agency settings: switch this agency's modules on or off."""
    agency = _actor().organization
    form = AgencyModulesForm(obj=agency)
    if not form.validate_on_submit():
        return _form_page("settings.html", form, agency=agency)
    try:
        with savepoint():
            admin.update_agency_modules(_actor(), agency, form.expected_version(), **form.modules())
            set_sharing_requires_roi(_actor(), agency, bool(form.sharing_requires_roi.data))
            set_agency_team_sharing(_actor(), agency, bool(form.referral_team_sharing.data))
    except admin.AdministrationError as err:
        return _refused(err, "settings.html", form, current=agency, agency=agency)
    flash("The agency settings were saved.", "success")
    return redirect(url_for("staff.admin_settings"))
